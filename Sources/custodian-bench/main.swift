/// The benchmarks, a binary of their own: the switch that turns the audit off for a baseline
/// (`@_spi(Benchmarks)`) is imported here and nowhere in the product.
await BenchCommand.runFromCommandLine()
