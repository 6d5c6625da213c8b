import ArgumentParser
import Crypto
import CustodianApp
@_spi(Storage) import CustodianCore
import CustodianStorage
import Foundation
import SQLKit

/// What the London equality report costs over a national-scale register: the events of N
/// synthetic people (recorded, and in proportion proposed, included, shared, removed) over the
/// last year, against the baseline of one plain count over the same rows, in the same run.
struct EqualityBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equality", abstract: "The London equality report over N people's events, against a plain count (target under 2 s).")

    @Option(
        help:
            "A PostgreSQL URL (a throw-away database: the bench makes and drops its own schema); SQLite otherwise. Also CUSTODIAN_BENCH_POSTGRES_URL."
    )
    var postgres: String? = ProcessInfo.processInfo.environment["CUSTODIAN_BENCH_POSTGRES_URL"]
    @Option(help: "Synthetic people on the register.") var subjects = 1_000_000
    @Option(help: "Timed runs of each arm.") var runs = 7
    @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

    struct Figures: Codable {
        var database = ""
        var subjects = 0
        var events = 0
        var loadSeconds = 0.0
        var countMedianMs = 0.0
        var aggregateMedianMs = 0.0
        var reportMedianMs = 0.0
        var reportP99Ms = 0.0
        var publishedMedianMs = 0.0
        var publishedP99Ms = 0.0
        /// The last 365 days, not whole months: its first and last part-months read events.
        var unalignedMedianMs = 0.0
        var reportToCountRatio = 0.0
        var publishedToCountRatio = 0.0
        var targetMs = 2000.0
        var targetMet = false
    }

    func run() async throws {
        let bench = try await BenchRegister.open(postgres: postgres)
        do {
            let figures = try await measure(bench)
            try await bench.close()
            report(figures)
        } catch {
            try? await bench.close()
            throw error
        }
    }

    private func measure(_ bench: BenchRegister) async throws -> Figures {
        let (register, driver) = (bench.register, bench.driver)
        let governance = try await bench.user("bench.dpo", .governance)
        let reviewer = try await bench.user("bench.reviewer", .independentReviewer)
        _ = try await register.loadEqualityBaseline(
            csv: DemoEquality.baselineCSV(), name: DemoEquality.baselineName, source: DemoEquality.baselineSource, by: governance)

        var f = Figures()
        (f.database, f.subjects) = (bench.database, subjects)
        let today = register.clock.now().day
        let from = EqualityReport.defaultFrom(today)
        let started = ContinuousClock.now
        var random = SeededRandom(seed: 2026)
        let boroughs = Borough.allCases.map { ($0, DemoVocabulary.boroughWeights[$0] ?? 1) }
        var batch: [EqualityEvent] = []
        func flush() async throws {
            let events = batch
            try await SQLRegisterStore(driver: driver).loadBenchmarkEqualityEvents(events)
            f.events += events.count
            batch.removeAll(keepingCapacity: true)
        }
        for i in 0..<subjects {
            let unit = random.weighted(boroughs)
            let officer = OfficerDefinedEthnicity(rawValue: DemoEquality.officerEthnicity(unit, random: &random))
            let person = (
                officer: officer, stated: random.chance(0.6) ? SelfDefinedEthnicity.allCases.randomElement(using: &random) : nil,
                age: random.weighted([
                    (AgeBand.tenToSeventeen, 2.0), (.eighteenToTwentyFour, 5), (.twentyFiveToThirtyFour, 3), (.thirtyFiveAndOver, 1),
                ]),
                sex: random.chance(0.85) ? Sex.male : .female
            )
            let day = from.adding(days: Int.random(in: 0...364, using: &random))
            func event(_ stage: EqualityStage, _ band: HarmBand? = nil, after days: Int = 0) -> EqualityEvent {
                EqualityEvent(
                    stage: stage, unit: unit, day: min(today, day.adding(days: days)), band: band, officerDefinedEthnicity: person.officer,
                    selfDefinedEthnicity: person.stated, ageBand: person.age, sex: person.sex)
            }
            batch.append(event(.recorded))
            if random.chance(0.15) { batch.append(event(.proposed, after: 7)) }
            if random.chance(0.10) {
                batch.append(event(.included, random.weighted([(HarmBand.red, 1), (.amber, 3), (.green, 4)]), after: 14))
            }
            if random.chance(0.02) { batch.append(event(.shared, after: 30)) }
            if random.chance(0.02) { batch.append(event(.removed, after: 90)) }
            if batch.count >= 10_000 || i == subjects - 1 { try await flush() }
        }
        f.loadSeconds = seconds(since: started)

        let count = try await BenchTiming.run(runs) {
            _ = try await driver.transaction { db in
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("equality_events")
                    .where("on_day", .greaterThanOrEqual, from.description).where("on_day", .lessThan, today.adding(days: 1).description)
                    .first()
            }
        }
        let aggregate = try await BenchTiming.run(runs) {
            _ = try await register.store.lookup { tx in try await tx.equalityCounts(from: from, until: today.adding(days: 1)) }
        }
        let full = try await BenchTiming.run(runs) {
            let report = try await register.equalityReport(from: from, until: today, by: governance)
            guard report.areas.first?.stages.first?.total == subjects else { throw ValidationError("the report lost people") }
        }
        // The heaviest published read: last calendar year, suppressed with its four quarters.
        let lastYear = PublishedPeriod.year(today.year - 1)
        let published = try await BenchTiming.run(runs) {
            _ = try await register.equalityReport(from: lastYear.from, until: lastYear.until, by: reviewer)
        }
        let unaligned = try await BenchTiming.run(runs) {
            _ = try await register.equalityReport(from: today.adding(days: -364), until: today, by: governance)
        }
        f.unalignedMedianMs = unaligned.median
        (f.countMedianMs, f.aggregateMedianMs) = (count.median, aggregate.median)
        (f.reportMedianMs, f.reportP99Ms, f.publishedMedianMs, f.publishedP99Ms) = (full.median, full.p99, published.median, published.p99)
        f.reportToCountRatio = count.median > 0 ? full.median / count.median : 0
        f.publishedToCountRatio = count.median > 0 ? published.median / count.median : 0
        f.targetMet = max(f.reportP99Ms, f.publishedP99Ms) < f.targetMs
        return f
    }

    private func report(_ f: Figures) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            say(String(decoding: (try? encoder.encode(f)) ?? Data(), as: UTF8.self))
            return
        }
        say(
            "The London equality report over \(f.subjects) people (\(f.events) events, loaded in \(String(format: "%.0f", f.loadSeconds)) s) on \(f.database), \(runs) runs each:"
        )
        say(String(format: "  plain count of the period's events (baseline)  median %8.1f ms", f.countMedianMs))
        say(String(format: "  the sums storage returns                       median %8.1f ms", f.aggregateMedianMs))
        say(
            String(
                format: "  full report (governance)                       median %8.1f ms, p99 %8.1f ms, %.2fx the count", f.reportMedianMs,
                f.reportP99Ms, f.reportToCountRatio))
        say(
            String(
                format: "  published year with its quarters (reviewer)    median %8.1f ms, p99 %8.1f ms, %.2fx the count",
                f.publishedMedianMs, f.publishedP99Ms, f.publishedToCountRatio))
        say(
            String(
                format: "  full report, last 365 days (not whole months)  median %8.1f ms (no target: part-months read events)",
                f.unalignedMedianMs))
        say("  target: every run of the default report (the last twelve months) under 2 s   \(f.targetMet ? "met" : "NOT met")")
    }
}
