import CustodianApp

await CustodianCommand.runFromCommandLine()
