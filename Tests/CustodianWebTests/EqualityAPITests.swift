import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Equality monitoring through the API (PSED, E2-E5): a baseline loaded all or nothing; the
/// report in full for governance and suppressed for every other reader, the independent reviewer
/// among them, who reads nothing else; an alert on a disparity that blocks the next rulebook
/// approval until answered; no rulebook approved without its equality impact assessment.
@Suite struct EqualityAPITests {
    static let databases = TestDatabase.available

    static let baseline = """
        borough,characteristic,group,population
        hackney,ethnicity,white,80000
        hackney,ethnicity,black,20000
        hackney,ethnicity,asian,10000
        hackney,ethnicity,mixed,5000
        hackney,ethnicity,other,5000
        newham,ethnicity,white,40000
        newham,ethnicity,black,30000
        newham,ethnicity,asian,50000
        newham,ethnicity,mixed,5000
        newham,ethnicity,other,5000
        """

    static func load(_ api: LiveAPI, _ csv: String = baseline) async throws -> APIResponse {
        try await api.send(
            .post, "/api/equality/baselines", as: api.fixture.governance, purpose: nil,
            json: ["name": "Resident population", "source": "Synthetic test figures, shaped like the 2021 Census", "csv": csv])
    }

    /// Every count a report shows, wherever it is.
    static func counts(_ report: [String: Any]) -> [Int] {
        (report["areas"] as? [[String: Any]] ?? []).flatMap { area in
            (area["stages"] as? [[String: Any]] ?? []).flatMap { stage in
                [stage["total"] as? Int].compactMap { $0 }
                    + (stage["breakdowns"] as? [[String: Any]] ?? []).flatMap { b in
                        (b["rows"] as? [[String: Any]] ?? []).compactMap { $0["count"] as? Int }
                    }
            }
        }
    }

    static func row(_ report: [String: Any], area: String, stage: String, characteristic: String, group: String) -> [String: Any]? {
        let a = (report["areas"] as? [[String: Any]])?.first { $0["name"] as? String == area }
        let s = (a?["stages"] as? [[String: Any]])?.first { $0["stage"] as? String == stage }
        let b = (s?["breakdowns"] as? [[String: Any]])?.first { $0["characteristic"] as? String == characteristic }
        return (b?["rows"] as? [[String: Any]])?.first { $0["group"] as? String == group }
    }

    @Test(arguments: databases) func theReportIsFullForGovernanceAndSuppressedForEveryoneElse(_ db: TestDatabase) async throws {
        let clock = TestClock.atQuarterEnd()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            // A file with a bad row loads nothing, and says which row, column and rule.
            let bad = try await Self.load(api, Self.baseline + "\nhackney,ethnicity,purple,12\nlambeth,sex,male,many")
            #expect(bad.status == 422)
            #expect(bad.violatedFields == ["row 12, group", "row 13, population"], "\(bad)")
            #expect(try await api.send(.get, "/api/equality/baselines", as: f.governance, purpose: nil).array.isEmpty)
            #expect(try await Self.load(api).status == 201)

            try await f.recordPeople(40, ethnicity: "IC3", by: f.hackneyOfficer)
            try await f.recordPeople(12, ethnicity: "IC1", by: f.hackneyOfficer)
            try await f.recordPeople(3, ethnicity: "IC4", by: f.hackneyOfficer)

            let full = try await api.send(.get, "/api/equality", as: f.governance, purpose: nil)
            #expect(full.status == 200, "\(full)")
            #expect(full.object["suppressed"] as? Bool == false)
            let black = try #require(
                Self.row(full.object, area: "Hackney", stage: "recorded", characteristic: "officer-defined-ethnicity", group: "black"))
            // 40 of 20,000 against 12 of 80,000: 2 per 1,000 and 13.3 times the White rate.
            #expect(black["count"] as? Int == 40 && black["ratePerThousand"] as? Double == 2)
            #expect(abs((black["relativeRate"] as? Double ?? 0) - 40.0 / 20_000 / (12.0 / 80_000)) < 1e-9)
            #expect((black["lower95"] as? Double ?? 0) > 2)
            #expect(
                Self.row(full.object, area: "Hackney", stage: "recorded", characteristic: "officer-defined-ethnicity", group: "asian")?[
                    "count"] as? Int == 3)

            // Outside governance: only a whole quarter once over, and in it the 3 is hidden, and so
            // is whatever would give it away.
            let reviewer = try await f.independentReviewer()
            let early = try await api.send(.get, "/api/equality", as: f.analyst, purpose: nil)
            #expect(early.status == 200 && Self.counts(early.object).allSatisfy { $0 == 0 }, "this quarter is not yet published")
            // A span chosen to the day, and the quarter still running, are refused and logged: the
            // differencing of consecutive days that recovered small counts starts here.
            let today = f.register.clock.now().day
            let dayByDay = try await api.send(
                .get, "/api/equality?from=\(today.adding(days: -1))&until=\(today)", as: f.analyst, purpose: nil)
            #expect(dayByDay.status == 422 && dayByDay.violatedRules == ["equality.published-period"], "\(dayByDay)")
            let running = Quarter(containing: today)
            let unfinished = try await api.send(
                .get, "/api/equality?from=\(running.from)&until=\(running.until)", as: f.analyst, purpose: nil)
            #expect(unfinished.status == 422 && unfinished.violatedRules == ["equality.period-over"], "\(unfinished)")
            let refusals = try await f.refusals(of: f.analyst).filter { $0.action == "equality.report" }.compactMap(\.refusedUnder)
            #expect(refusals == ["equality.published-period", "equality.period-over"], "\(refusals)")
            clock.advanceToNextQuarter()
            let withReviewer = try await api.adding(reviewer)
            for reader in [f.analyst, f.auditor, reviewer] {
                let published = try await withReviewer.send(.get, "/api/equality", as: reader, purpose: nil)
                #expect(published.status == 200 && published.object["suppressed"] as? Bool == true, "\(reader.role)")
                let asian = Self.row(
                    published.object, area: "Hackney", stage: "recorded", characteristic: "officer-defined-ethnicity", group: "asian")
                #expect(asian?["count"] == nil && asian?["ratePerThousand"] == nil)
                #expect(!Self.counts(published.object).contains { (1...9).contains($0) })
                #expect(Self.counts(published.object).contains(40))
            }
            // The reviewer reads aggregates and nothing about anyone; an officer does not read the report.
            let search = try await withReviewer.send(.get, "/api/subjects?name=Person1", as: reviewer, purpose: nil)
            #expect(search.status == 403 || search.status == 422, "\(search)")
            let officer = try await api.send(.get, "/api/equality", as: f.hackneyOfficer, purpose: nil)
            #expect(officer.status == 403 && officer.object["rule"] as? String == "equality.readers")
            #expect(try await f.refusals(of: f.hackneyOfficer).last?.action == "equality.report")
            // Each reading is on the log, suppressed or not.
            let reads = try await f.register.auditPage(
                AuditFilter(operation: "consultation"), by: f.auditor, for: RegisterFixture.auditPurpose
            ).entries.map(\.entry).filter { $0.action == "equality.report" }
            #expect(reads.count == 5)
            #expect(reads.contains { $0.role == .independentReviewer && $0.outcome?.hasSuffix("suppressed") == true })
        }
    }

    @Test(arguments: databases) func anUnansweredAlertAndAMissingAssessmentEachBlockTheNextRulebook(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let board = try await f.boardMember()
            #expect(try await Self.load(api).status == 201)
            try await f.recordPeople(40, ethnicity: "IC3", by: f.hackneyOfficer)
            try await f.recordPeople(12, ethnicity: "IC1", by: f.hackneyOfficer)
            // The daily sweep raises the alert: Black people recorded at many times the White rate.
            let swept = try await f.register.sweep()
            #expect(swept.equalityAlertsRaised >= 1)
            #expect(try await f.register.sweep().equalityAlertsRaised == 0, "raised once")
            let alerts = try await api.send(.get, "/api/equality/alerts", as: f.governance, purpose: nil).array
            let alert = try #require(
                alerts.first {
                    ($0["finding"] as? [String: Any])?["group"] as? String == "black"
                        && ($0["finding"] as? [String: Any])?["borough"] as? String == "hackney"
                })
            #expect(alert["awaitingResponse"] as? Bool == true)
            // An alert's count and interval are figures too: outside governance, none on a quarter
            // not yet published.
            #expect(try await api.send(.get, "/api/equality/alerts", as: f.analyst, purpose: nil).array.isEmpty)

            // A new version: not without its assessment, then not with the alert unanswered.
            var proposal = try await f.register.rulebookVersions().inForce
            proposal.review.cadenceDays = 60
            _ = try await f.register.proposeRulebook(proposal, rationale: "Shorter review cadence", by: f.governance)
            let noEIA = try await api.send(.post, "/api/rulebook/versions/2/decision", as: board, purpose: nil, json: ["approve": true])
            #expect(noEIA.status == 403 && noEIA.object["rule"] as? String == "eia.none", "\(noEIA)")
            let thin = try await api.send(
                .post, "/api/rulebook/versions/2/eia", as: f.governance, purpose: nil, json: ["impact": "None.", "mitigation": "None."])
            #expect(thin.status == 422 && thin.violatedRules == ["eia.substance", "eia.substance"])
            let eia = try await api.send(
                .post, "/api/rulebook/versions/2/eia", as: f.governance, purpose: nil,
                json: [
                    "impact": "A shorter cadence brings reviews forward for everyone included; no group is selected differently.",
                    "mitigation": "The quarterly report is watched for any change in removal rates by group after the change.",
                ])
            #expect(eia.status == 201, "\(eia)")
            #expect((eia.object["simulation"] as? [String: Any])?["proposedVersion"] as? Int == 2)
            // The simulation outside governance: no count from 1 to 9 (nobody is proposed or included
            // here, so every count is a zero and shown).
            let read = try await api.send(.get, "/api/rulebook/versions/2/eia", as: f.analyst, purpose: nil)
            let rows = ((read.array.first?["simulation"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
            #expect(read.status == 200 && !rows.isEmpty, "\(read)")
            #expect(
                !rows.flatMap { [$0["inForce"], $0["proposed"]] }.compactMap { ($0 as? [String: Any])?["count"] as? Int }.contains {
                    (1...9).contains($0)
                })
            let blocked = try await api.send(.post, "/api/rulebook/versions/2/decision", as: board, purpose: nil, json: ["approve": true])
            #expect(blocked.status == 403 && blocked.object["rule"] as? String == "equality.alerts-unanswered", "\(blocked)")
            #expect(
                try await f.refusals(of: board).map { $0.outcome?.components(separatedBy: ":").first } == [
                    "eia.none", "equality.alerts-unanswered",
                ])

            // Every alert is answered with a documented response; a few words are not one.
            let today = f.register.clock.now().day
            let id = try #require(alert["id"] as? String)
            let curt = try await api.send(
                .post, "/api/equality/alerts/\(id)/response", as: f.governance, purpose: nil,
                json: ["reason": "Fine", "action": "None", "reviewOn": today.adding(days: 90).description])
            #expect(curt.status == 422 && Set(curt.violatedRules) == ["equality.response-substance"])
            let notTheirs = try await api.send(
                .post, "/api/equality/alerts/\(id)/response", as: f.analyst, purpose: nil,
                json: [
                    "reason": String(repeating: "r", count: 40), "action": String(repeating: "a", count: 40),
                    "reviewOn": today.adding(days: 90).description,
                ])
            #expect(notTheirs.status == 403)
            for waiting in try await api.send(.get, "/api/equality/alerts", as: f.governance, purpose: nil).array
            where waiting["awaitingResponse"] as? Bool == true {
                let answered = try await api.send(
                    .post, "/api/equality/alerts/\(waiting["id"] as? String ?? "")/response", as: f.governance, purpose: nil,
                    json: [
                        "reason": "Synthetic test register: the recorded people were planted to raise this alert.",
                        "action": "Borough recording practice reviewed with the SPOC; intelligence sources checked for bias.",
                        "reviewOn": today.adding(days: 90).description,
                    ])
                #expect(answered.status == 200 && answered.object["awaitingResponse"] as? Bool == false, "\(answered)")
            }
            let approved = try await api.send(.post, "/api/rulebook/versions/2/decision", as: board, purpose: nil, json: ["approve": true])
            #expect(approved.status == 200 && approved.object["status"] as? String == "active", "\(approved)")
        }
    }
}

/// The equality page: charts and tables for governance with alert forms, the published version for
/// everyone else (no count under 10 in any cell), the CSV with [c], and no page for an officer.
@Suite struct EqualityPageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func governanceSeesAndAnswersAndEveryoneElseReadsThePublishedVersion(_ db: TestDatabase) async throws {
        let clock = TestClock.atQuarterEnd()
        try await withLivePages(db, clock: clock) { pages in
            let f = pages.fixture
            for user in [f.governance, f.analyst, f.hackneyOfficer] { try await pages.enablePages(for: user) }
            _ = try await f.register.loadEqualityBaseline(
                csv: EqualityAPITests.baseline, name: "Resident population", source: "Synthetic test figures", by: f.governance)
            try await f.recordPeople(40, ethnicity: "IC3", by: f.hackneyOfficer)
            try await f.recordPeople(12, ethnicity: "IC1", by: f.hackneyOfficer)
            try await f.recordPeople(3, ethnicity: "IC4", by: f.hackneyOfficer)
            #expect(try await f.register.raiseEqualityAlerts().isEmpty == false)

            let dpo = pages.browser()
            try await dpo.signIn("governance-dpo")
            let full = try await dpo.get("/equality?area=hackney")
            #expect(full.status == 200, "\(full)")
            #expect(full.html.contains("Full figures, for governance only") && full.html.contains("<svg class=\"chart\""))
            #expect(full.html.contains("<th scope=\"row\">Asian</th><td>3</td>"), "the full figures show the 3")
            #expect(full.html.contains("Synthetic test figures"))
            // The period is typed in GOV.UK date boxes, day, month and year, and read as one date.
            let today = f.register.clock.now().day
            let boxes = try await dpo.get(
                "/equality?from-day=1&from-month=1&from-year=\(today.year)&until-day=\(today.day)&until-month=\(today.month)&until-year=\(today.year)&area=hackney"
            )
            #expect(boxes.status == 200 && boxes.html.contains("\(today.year)-01-01 to \(today)"), "\(boxes)")
            #expect(boxes.html.contains("name=\"from-day\"") && !boxes.html.contains("name=\"from\""))
            let alertID = try #require(
                full.html.range(of: "action=\"/equality/alerts/").map { String(full.html[$0.upperBound...].prefix(36)) })
            let curt = try await dpo.post(
                "/equality/alerts/\(alertID)", [("reason", "ok"), ("action", "none"), ("reviewOn", "2099-01-01")], csrfFrom: full)
            #expect(curt.status == 422 && curt.html.contains("equality.response-substance"))
            let answered = try await dpo.post(
                "/equality/alerts/\(alertID)",
                [
                    ("reason", "Synthetic test register: the recorded people were planted to raise this alert."),
                    ("action", "Borough recording practice reviewed with the SPOC; sources checked for bias."),
                    ("reviewOn", f.register.clock.now().day.adding(days: 60).description),
                ], csrfFrom: full)
            #expect(answered.status == 303, "\(answered)")
            #expect(try await dpo.get("/equality").html.contains("Answered alerts"))

            clock.advanceToNextQuarter()
            let analyst = pages.browser()
            try await analyst.signIn("central-analyst")
            let published = try await analyst.get("/equality?area=hackney")
            #expect(published.status == 200 && published.html.contains("Published version"))
            #expect(published.html.range(of: "<td>[1-9]</td>", options: .regularExpression) == nil, "no count under 10 in any cell")
            #expect(published.html.contains("<th scope=\"row\">Asian</th><td>[c]</td>"))
            #expect(!published.html.contains("action=\"/equality/alerts/"), "alerts are governance's")
            let csv = try await analyst.get("/equality.csv")
            #expect(csv.status == 200 && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.hasPrefix(EqualityReport.csvColumns.joined(separator: ",")) && csv.html.contains("\"[c]\""))
            #expect(csv.html.range(of: "\"Hackney\",\"recorded\",\"officer-defined-ethnicity\",\"black\",\"40\"") != nil)

            let officer = pages.browser()
            try await officer.signIn("hackney-officer")
            let refused = try await officer.get("/equality")
            #expect(refused.status == 403 && refused.html.contains("equality.readers"))
        }
    }
}
