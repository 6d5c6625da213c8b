import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// The DPIA gate (s.64): a version is drafted, advised on by the DPO and approved by a different
/// member of the board; while one is in date the register works, governance is warned as its
/// review date nears, and once it lapses nothing is collected, proposed or shared, through any door,
/// each attempt refused and logged, until a new version is approved. Reading goes on.
@Suite struct DPIAAPITests {
    static let databases = TestDatabase.available
    static let reason = "Annual review of the register's impact assessment"

    static func input(reviewOn: LocalDate, priorConsultation: Bool = false) -> Components.Schemas.DPIAInput {
        let base = DPIADraft.custodianBaseline(reviewOn: reviewOn)
        return .init(
            processing: base.processing, necessity: base.necessity, risks: base.risks, measures: base.measures,
            priorConsultation: priorConsultation, reviewOn: reviewOn.description)
    }

    @Test(arguments: databases) func processingIsRefusedWithoutAnApprovedDPIAInDateAndAllowedWithOne(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let r = f.register
            let today = r.clock.now().day
            let governance = try api.client(as: f.governance)
            let board = try api.client(as: try await f.boardMember())
            let asBoard = Operations.ListDPIAs.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)

            // A short-lived version: drafted and advised by the DPO, who cannot also approve it.
            let draft = try await governance.draftDPIA(
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(Self.input(reviewOn: today.adding(days: 10)))
            )
            .created.body.json
            #expect(draft.version == 2 && draft.status == .draft)
            let early = try await board.approveDPIA(
                path: .init(dpiaId: draft.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init()))
            _ = try early.conflict
            // The DPO's advice is the DPO's: another governance user (the board member) cannot give it.
            let notTheDPO = try await board.adviseOnDPIA(
                path: .init(dpiaId: draft.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init(advice: "Proceed: the board is content with the sharing section as drafted.")))
            #expect(try notTheDPO.forbidden.body.applicationProblemJson.rule == "permission.data-protection-officer")
            _ = try await governance.adviseOnDPIA(
                path: .init(dpiaId: draft.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init(advice: "Proceed for a short period while the sharing section is rewritten."))
            ).ok
            let own = try await governance.approveDPIA(
                path: .init(dpiaId: draft.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init()))
            #expect(try own.forbidden.body.applicationProblemJson.rule == "four-eyes.dpia")
            #expect(try await f.refusals(of: f.governance).contains { $0.outcome?.hasPrefix("four-eyes.dpia") == true })
            let approved = try await board.approveDPIA(
                path: .init(dpiaId: draft.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init())
            ).ok.body.json
            #expect(approved.status == .approved)
            let listed = try await governance.listDPIAs(headers: asBoard).ok.body.json
            #expect(listed.inForceVersion == 2 && listed.daysToReview == 10 && listed.reviewSoon)
            #expect(listed.versions.map(\.status) == [.approved, .superseded])
            let dashboard = try await governance.getDashboard(
                query: .init(from: today.adding(days: -30).description, until: today.description),
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(dashboard.dpiaInForce == true && dashboard.dpiaDaysToReview == 10)

            // A person recorded while the DPIA is in date.
            let officer = try api.client(as: f.hackneyOfficer)
            let asOfficer = Operations.CreateSubject.Input.Headers(custodianPurpose: .investigation, custodianJustification: Self.reason)
            let person = Components.Schemas.SubjectInput(names: [.init(given: "Araminta", family: "Gatekeeper")], sex: .female)
            let before = try await officer.createSubject(headers: asOfficer, body: .json(person)).created.body.json.id

            // Eleven days on, the version has lapsed.
            clock.advance(seconds: 11 * 86_400)
            let refusedSubject = try await officer.createSubject(headers: asOfficer, body: .json(person))
            #expect(try refusedSubject.forbidden.body.applicationProblemJson.rule == "dpia.none")
            let refusedMatter = try await officer.createMatter(
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason),
                body: .json(.init(kind: .incident, reference: "CAD-GATE", occurredOn: r.clock.now().day.description)))
            #expect(try refusedMatter.forbidden.body.applicationProblemJson.rule == "dpia.none")
            let refusedProposal = try await officer.proposeInclusion(
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason),
                body: .json(.init(subjectId: before, rationale: "Proposed while no DPIA is in date")))
            #expect(try refusedProposal.forbidden.body.applicationProblemJson.rule == "dpia.none")
            let refusedShare = try await officer.requestShare(
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason),
                body: .json(.init(agreementId: UUID().uuidString, partnerId: UUID().uuidString, subjectIds: [before])))
            #expect(try refusedShare.forbidden.body.applicationProblemJson.rule == "dpia.none")
            // Not through the batch door (the demo feed and imports) either.
            await #expect(throws: RegisterError.self) {
                _ = try await r.recordBatch(RecordBatch(), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            }
            let refusals = try await f.refusals(of: f.hackneyOfficer).filter { $0.outcome?.hasPrefix("dpia.none") == true }
            #expect(
                Set(refusals.map(\.action)) == ["subject.create", "matter.create", "inclusion.propose", "share.request", "batch.record"],
                "\(refusals.map(\.action))")
            // Reading goes on: the people on the register, and governance, still need it.
            _ = try await officer.getSubject(
                path: .init(subjectId: before), headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason)
            ).ok
            let lapsed = try await governance.listDPIAs(headers: asBoard).ok.body.json
            #expect(lapsed.inForceVersion == nil && !lapsed.reviewSoon)

            // A new version, flagged for prior consultation: approved only with the ICO's advice.
            let next = try await governance.draftDPIA(
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(Self.input(reviewOn: r.clock.now().day.adding(days: 365), priorConsultation: true))
            ).created.body.json
            _ = try await governance.adviseOnDPIA(
                path: .init(dpiaId: next.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init(advice: "A high risk remains for children: consult the ICO under s.65 before approving."))
            ).ok
            let unconsulted = try await board.approveDPIA(
                path: .init(dpiaId: next.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init()))
            #expect(try unconsulted.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "dpia.prior-consultation")
            _ = try await board.approveDPIA(
                path: .init(dpiaId: next.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init(icoAdvice: "ICO letter of 2026-11-20: proceed with the children's safeguards described"))
            ).ok
            _ = try await officer.createSubject(headers: asOfficer, body: .json(person)).created

            // Only governance drafts.
            let notGovernance = try await officer.draftDPIA(
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason),
                body: .json(Self.input(reviewOn: r.clock.now().day.adding(days: 30))))
            _ = try notGovernance.forbidden
        }
    }
}

/// The same gate and the same steps on the pages, through real HTTP.
@Suite struct DPIAPageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func governanceKeepsTheDPIAOnThePagesAndAnOfficerIsRefusedWithoutOne(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let board = try await f.boardMember()
            for user in [f.governance, board, f.hackneyOfficer] { try await pages.enablePages(for: user) }
            let review = StatedPurpose(purpose: .registerReview, justification: "Annual review of the impact assessment")
            let dpo = pages.browser()
            try await dpo.signIn(f.governance.username)
            try await dpo.state(review)
            let page = try await dpo.get("/dpia")
            #expect(page.status == 200 && page.html.contains("version 1") && page.html.contains("Draft a new version"), "\(page)")
            let soon = f.register.clock.now().day.adding(days: 5).description
            let thin = try await dpo.post("/dpia", [("processing", "A list"), ("reviewOn", soon)], csrfFrom: page)
            #expect(thin.status == 422 && thin.html.contains("dpia.substance"), "\(thin)")
            let template = DPIADraft.custodianBaseline(reviewOn: f.register.clock.now().day)
            let drafted = try await dpo.post(
                "/dpia",
                [
                    ("processing", template.processing), ("necessity", template.necessity), ("risks", template.risks),
                    ("measures", template.measures), ("reviewOn", soon), ("priorConsultation", "no"),
                ], csrfFrom: page)
            #expect(drafted.status == 303, "\(drafted)")
            let (versions, _) = try await f.register.dpias(by: f.governance, for: review)
            let v2 = try #require(versions.first { $0.version == 2 })
            _ = try await dpo.post(
                "/dpia/\(v2.id)/advice", [("advice", "Proceed for five days while the sharing section is redrafted.")],
                csrfFrom: try await dpo.get("/dpia"))
            // The DPO who advised is not offered the approval; the page says who drafted and who advised.
            let advised = try await dpo.get("/dpia")
            #expect(!advised.html.contains("action=\"/dpia/\(v2.id)/approval\""), "the adviser is offered the approval")
            #expect(
                advised.html.contains("Drafted by</dt><dd>\(f.governance.displayName)")
                    && advised.html.contains("(\(f.governance.displayName))"))
            let own = try await dpo.post("/dpia/\(v2.id)/approval", [], csrfFrom: advised)
            #expect(own.status == 403 && own.html.contains("four-eyes.dpia"), "\(own)")

            let chair = pages.browser()
            try await chair.signIn(board.username)
            try await chair.state(review)
            let offered = try await chair.get("/dpia")
            #expect(offered.html.contains("action=\"/dpia/\(v2.id)/approval\""), "the board member is not offered the approval")
            // Only the DPO is offered the advice form.
            #expect(!offered.html.contains("action=\"/dpia/\(v2.id)/advice\""))
            let approved = try await chair.post("/dpia/\(v2.id)/approval", [], csrfFrom: offered)
            #expect(approved.status == 303, "\(approved)")
            let warned = try await chair.get("/dashboard")
            #expect(warned.html.contains("due for review in 5 day(s)"), "\(warned)")

            pages.clock.advance(seconds: 6 * 86_400)
            let officer = pages.browser()
            try await officer.signIn(f.hackneyOfficer.username)
            try await officer.state(RegisterFixture.purpose)
            let form = try await officer.get("/subjects/new")
            let refused = try await officer.post(
                "/subjects/new",
                [("names[0].given", "Perpetua"), ("names[0].family", "Gatewood"), ("sex", "female"), ("sourceType", "police")],
                csrfFrom: form)
            #expect(refused.status == 403 && refused.html.contains("dpia.none"), "\(refused)")
            try await chair.signIn(board.username)
            try await chair.state(review)
            #expect(try await chair.get("/dashboard").html.contains("No approved DPIA is in date"))
        }
    }
}
