@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Testing

/// The register's use cases over real databases: a SQLite file always, PostgreSQL when scripts/test
/// provides one. Same tests, same assertions, both dialects.
@Suite struct RegisterStorageTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose

    @Test(arguments: databases) func recordsAndReadsASubjectWithEveryCategoryLabelled(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let officer = f.hackneyOfficer
            let subject = try await r.recordSubject(RegisterFixture.draft(), by: officer, for: purpose)
            let stabbing = try await r.recordMatter(
                MatterDraft(kind: "offence", reference: "CRIS-4410021/25", offence: "grievous-bodily-harm", occurredOn: "2025-06-02"),
                by: officer, for: purpose)
            let robbery = try await r.recordMatter(
                MatterDraft(kind: "offence", reference: "CRIS-4410388/25", offence: "robbery", occurredOn: "2025-07-19"), by: officer,
                for: purpose)
            _ = try await r.link(
                LinkDraft(subjectID: subject.description, matterID: stabbing.description, category: "victim"), by: officer, for: purpose)
            _ = try await r.link(
                LinkDraft(subjectID: subject.description, matterID: robbery.description, category: "suspect"), by: officer, for: purpose)

            let view = try await r.subject(subject, by: officer, for: purpose)
            #expect(view.personal.names == [PersonName(given: "Tobias", family: "Quennell")])
            #expect(view.personal.dateOfBirth == LocalDate(iso: "2001-04-17"))
            #expect(view.categories.map(\.category) == [.suspect, .victim])
            #expect(view.categories.first { $0.category == .victim }?.matters == [stabbing])
            #expect(view.matters.map(\.link.category) == [.suspect, .victim])  // newest matter first
            #expect(view.matters.first { $0.matter.id == stabbing }?.link.category.label == "Victim or potential victim")
        }
    }

    @Test(arguments: databases) func noSubjectNameIsStoredInPlaintext(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let names = ["Zephaniah", "Okonkwo-Brierley", "Quillfeather", "Marisol", "Vantongeren"]
            for i in 0..<names.count {
                var draft = RegisterFixture.draft(given: names[i], family: names[(i + 1) % names.count])
                draft.nickname = "Nick\(names[i])"
                draft.addresses = ["\(i + 1) Unmistakable Crescent, London E9 9ZZ"]
                let id = try await f.register.recordSubject(draft, by: f.hackneyOfficer, for: purpose)
                _ = try await f.register.recordIntelligence(
                    IntelligenceDraft(
                        subjectID: id.description, text: "\(names[i]) seen carrying a blade near Unmistakable Crescent",
                        grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "community"),
                    by: f.hackneyOfficer, for: purpose)
            }
            let stored = try await f.store.everyStoredText()
            #expect(!stored.isEmpty)
            for name in names + ["Unmistakable", "01/1234567A", "2001-04-17", "Quill"] {
                #expect(!stored.localizedCaseInsensitiveContains(name), "\(name) found in plaintext in \(db)")
            }
            // The data is there, sealed: a permitted reader gets it back.
            let hits = try await f.register.searchSubjects(
                name: "marisol vantongeren", dateOfBirth: nil, by: f.hackneyOfficer, for: purpose)
            #expect(hits.map(\.displayName) == ["Marisol Vantongeren"])
        }
    }

    @Test(arguments: databases) func searchFindsExactAndSoundAlikeNamesWithinScope(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let smith = try await r.recordSubject(
                RegisterFixture.draft(given: "Jon", family: "Smith", dob: "1999-02-03"), by: f.hackneyOfficer, for: purpose)
            let smyth = try await r.recordSubject(
                RegisterFixture.draft(given: "John", family: "Smyth", dob: "2000-05-06"), by: f.hackneyOfficer, for: purpose)
            let newham = try await r.recordSubject(
                RegisterFixture.draft(given: "Jon", family: "Smith", dob: "1999-02-03", ethnicity: false),
                by: f.newhamOfficer, for: purpose)

            let hackney = try await r.searchSubjects(name: "jon smith", dateOfBirth: nil, by: f.hackneyOfficer, for: purpose)
            #expect(hackney.map(\.id) == [smith, smyth], "exact match first, sound-alike second, other borough absent")
            let born = try await r.searchSubjects(name: "Smith", dateOfBirth: "2000-05-06", by: f.hackneyOfficer, for: purpose)
            #expect(born.map(\.id) == [smyth])
            let london = try await r.searchSubjects(name: "Jon Smith", dateOfBirth: "1999-02-03", by: f.analyst, for: purpose)
            #expect(Set(london.map(\.id)) == [smith, newham])
            // The longest name a search takes, 100 words (200 terms in the key store's statement,
            // under SQLite's 500), is answered; one character more is refused, naming the field.
            let longest = Array(repeating: "j", count: 100).joined(separator: " ") + " "
            #expect(try await r.searchSubjects(name: longest, dateOfBirth: "1999-02-03", by: f.analyst, for: purpose).isEmpty)
            do {
                _ = try await r.searchSubjects(name: longest + "j", dateOfBirth: nil, by: f.analyst, for: purpose)
                Issue.record("a 201-character name was searched")
            } catch let RegisterError.invalid(violations) {
                #expect(violations.map(\.field) == ["name"] && violations.map(\.rule) == ["search.name"])
            }
        }
    }

    @Test(arguments: databases) func everyConsultationLeavesExactlyOneEntryAndRefusalsAreLogged(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let id = try await r.recordSubject(RegisterFixture.draft(), by: f.hackneyOfficer, for: purpose)
            let before = try await r.auditLog(AuditQuery(subject: id), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(before.map(\.entry.operation) == [.collection])

            _ = try await r.subject(id, by: f.hackneyOfficer, for: purpose)
            await #expect(throws: RegisterError.self) { try await r.subject(id, by: f.newhamOfficer, for: purpose) }

            let entries = try await r.auditLog(AuditQuery(subject: id), by: f.auditor, for: RegisterFixture.auditPurpose)
            // Newest first: the refusal, the officer's read, the auditor's earlier read of this subject's entries, the collection.
            #expect(entries.map(\.entry.operation) == [.refusal, .consultation, .consultation, .collection])
            #expect(entries[2].entry.actor == f.auditor.id && entries[2].entry.touched.map(\.description) == ["audit-log"])
            let read = entries[1].entry
            #expect(read.actor == f.hackneyOfficer.id && read.purpose == .violencePrevention && read.subjects == [id])
            #expect(read.justification == purpose.justification)
            #expect(entries[0].entry.actor == f.newhamOfficer.id && entries[0].entry.outcome?.contains("own borough") == true)
            // Reading the log is itself logged.
            let reads = try await r.auditLog(AuditQuery(actor: f.auditor.id), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(reads.count == 2 && reads.allSatisfy { $0.entry.touched.map(\.description) == ["audit-log"] })
            #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted(by: >))
        }
    }

    @Test(arguments: databases) func aRefusedWriteLeavesNothingBehind(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let id = try await r.recordSubject(RegisterFixture.draft(), by: f.hackneyOfficer, for: purpose)
            let evidence = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: id.description, text: "Seen with a zombie knife",
                    grade: GradeDraft(source: "1", assessment: "A", handling: "P"), sourceType: "police"),
                by: f.hackneyOfficer, for: purpose)
            // A victim-only subject can carry no enforcement flag, and the attempt writes nothing.
            let matter = try await r.recordMatter(
                MatterDraft(kind: "incident", reference: "CAD-2231", offence: nil, occurredOn: "2025-03-01"), by: f.hackneyOfficer,
                for: purpose)
            _ = try await r.link(
                LinkDraft(subjectID: id.description, matterID: matter.description, category: "victim"), by: f.hackneyOfficer, for: purpose)
            await #expect(
                throws: RegisterError.denied(
                    AccessDenial(
                        rule: "category.protected-only",
                        reason: "an enforcement flag cannot rest on a subject held only as a victim or witness"))
            ) {
                try await r.recordFlag(
                    FlagDraft(subjectID: id.description, kind: "knife-carrier", intelligenceIDs: [evidence.description]),
                    by: f.hackneyOfficer, for: purpose)
            }
            let safeguarding = StatedPurpose(purpose: .safeguarding, justification: "Checking on the victim of the incident")
            #expect(try await r.subject(id, by: f.hackneyOfficer, for: safeguarding).flags.isEmpty)
        }
    }

    @Test(arguments: databases) func flagsRestOnTheSubjectsOwnEvidence(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let o = f.hackneyOfficer
            let a = try await r.recordSubject(RegisterFixture.draft(given: "Aurelio", family: "Penhallow"), by: o, for: purpose)
            let b = try await r.recordSubject(RegisterFixture.draft(given: "Bexley", family: "Crowhurst"), by: o, for: purpose)
            let m = try await r.recordMatter(
                MatterDraft(kind: "offence", reference: "CRIS-1", offence: "firearms-possession", occurredOn: "2025-01-02"), by: o,
                for: purpose)
            _ = try await r.link(LinkDraft(subjectID: a.description, matterID: m.description, category: "convicted"), by: o, for: purpose)
            let othersIntel = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: b.description, text: "Holds a firearm for others",
                    grade: GradeDraft(source: "2", assessment: "C", handling: "P"), sourceType: "partner"),
                by: o, for: purpose)
            do {
                _ = try await r.recordFlag(
                    FlagDraft(subjectID: a.description, kind: "prolific-firearms-offender", intelligenceIDs: [othersIntel.description]),
                    by: o, for: purpose)
                Issue.record("a flag citing another subject's intelligence was accepted")
            } catch RegisterError.invalid(let violations) {
                #expect(violations.map(\.rule) == ["flag.evidence-subject"])
            }
            let flag = try await r.recordFlag(
                FlagDraft(subjectID: a.description, kind: "prolific-firearms-offender", matterIDs: [m.description]), by: o, for: purpose)
            let view = try await r.subject(a, by: o, for: purpose)
            #expect(view.flags == [flag])
            #expect(view.flags.first?.evidence == [.matter(m)] && view.flags.first?.basis == .assessment)
        }
    }

    /// The sweep reads a write's people's flags together: each flag comes back once, as its own
    /// subject's, with only its own evidence, as it was recorded.
    @Test(arguments: databases) func flagsReadForManyPeopleAreEachPersonsOwn(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let o = f.hackneyOfficer
            var recorded: [SubjectID: [Flag]] = [:]
            var people: [SubjectID] = []
            for family in ["Quenby", "Rushworth", "Stainforth"] {
                let s = try await r.recordSubject(RegisterFixture.draft(given: "Tamsin", family: family), by: o, for: purpose)
                people.append(s)
                let m = try await r.recordMatter(
                    MatterDraft(kind: "offence", reference: "CRIS-\(family)", offence: "firearms-possession", occurredOn: "2025-01-02"),
                    linking: s.description, as: "convicted", basis: "fact", by: o, for: purpose)
                var items: [IntelligenceID] = []
                for n in 1...2 {
                    items.append(
                        try await r.recordIntelligence(
                            IntelligenceDraft(
                                subjectID: s.description, text: "Seen carrying a blade (\(n))",
                                grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner"),
                            by: o, for: purpose))
                }
                // The last person has none: absent from the answer, not an empty flag.
                guard family != "Stainforth" else { continue }
                recorded[s] = [
                    try await r.recordFlag(
                        FlagDraft(subjectID: s.description, kind: "knife-carrier", intelligenceIDs: items.map(\.description)), by: o,
                        for: purpose),
                    try await r.recordFlag(
                        FlagDraft(subjectID: s.description, kind: "prolific-firearms-offender", matterIDs: [m.description]), by: o,
                        for: purpose),
                ]
            }
            let together = try await r.store.lookup { [people] tx in try await tx.flags(subjects: people) }
            #expect(together.count == 4 && Set(together.map(\.id)) == Set(recorded.values.joined().map(\.id)))
            for flag in together {
                #expect(recorded[flag.subjectID]?.first { $0.id == flag.id } == flag, "a flag read back with another's evidence or person")
            }
        }
    }

    @Test(arguments: databases) func intelligenceKeepsItsGradeLegacyFlagAndSocialMediaProvenance(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let o = f.hackneyOfficer
            let s = try await r.recordSubject(RegisterFixture.draft(), by: o, for: purpose)
            let legacy = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: s.description, text: "Historic report",
                    grade: GradeDraft(scheme: "5x5x5", source: "B", assessment: "2", handling: "4"), sourceType: "police"),
                by: o, for: purpose)
            let social = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: s.description, text: "Video posted showing a machete",
                    grade: GradeDraft(source: "2", assessment: "C", handling: "C", conditions: "Not for onward disclosure to schools"),
                    sourceType: "social-media",
                    socialMedia: .init(
                        locator: "https://video.example/@quill/clip/88", capturedAt: "2025-05-01T10:15:00Z",
                        captureMethod: "Force OSINT capture tool, full page",
                        contentSHA256: String(repeating: "ab", count: 32),
                        attributionBasis: "Face matches custody image; username used in 2 prior reports",
                        authorisationReference: "DSA-2025-0042")),
                by: o, for: purpose)
            let l = try await r.intelligence(legacy, by: o, for: purpose)
            #expect(l.grade == .legacy(FiveByFiveByFive(source: "B", intelligence: "2", handling: "4")) && l.grade.isLegacy)
            let sm = try await r.intelligence(social, by: o, for: purpose)
            #expect(
                sm.grade
                    == .current(
                        ThreeByFiveByTwo(
                            source: .untested, assessment: .c, handling: .c, conditions: "Not for onward disclosure to schools")))
            #expect(sm.content.socialMedia?.authorisationReference == "DSA-2025-0042")
            #expect(sm.content.socialMedia?.capturedAt == Timestamp(microseconds: 1_746_094_500_000_000))
        }
    }

    @Test(arguments: databases) func ethnicityIsReadAndWrittenOnlyWithTheSensitivePermission(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let s = try await f.register.recordSubject(RegisterFixture.draft(), by: f.hackneyOfficer, for: purpose)
            let sensitive = try await f.register.ethnicity(of: s, by: f.hackneyOfficer, for: purpose)
            #expect(sensitive.officerDefinedEthnicity?.code == .ic1 && sensitive.selfDefinedEthnicity?.code == .whiteOther)
            #expect(sensitive.officerDefinedEthnicity?.recordedBy == f.hackneyOfficer.id)
            await #expect(
                throws: RegisterError.denied(
                    AccessDenial(
                        rule: "permission.sensitive-data",
                        reason: "ethnicity is special-category data: reading or recording it needs the sensitive-data permission"))
            ) {
                try await f.register.ethnicity(of: s, by: f.hackneySPOC, for: purpose)
            }
            // Writing it is as sensitive as reading it: the SPOC without the permission is refused, and it is logged.
            await #expect(throws: RegisterError.self) {
                _ = try await f.register.recordSubject(RegisterFixture.draft(family: "Ettrick"), by: f.hackneySPOC, for: purpose)
            }
            let refusals = try await f.register.auditPage(
                AuditFilter(actor: f.hackneySPOC.id.description, operation: "refusal"), by: f.auditor,
                for: RegisterFixture.auditPurpose)
            #expect(
                refusals.entries.contains { $0.entry.action == "subject.create" && $0.entry.outcome?.contains("sensitive-data") == true })
            _ = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Ettrick", ethnicity: false), by: f.hackneySPOC, for: purpose)
        }
    }

    @Test(arguments: databases) func usersIssueTheirOwnTokensAndDisablingRevokesThem(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            // No one issues another user's credentials: not the administrator, not a SPOC.
            for other in [f.administrator, f.hackneySPOC] {
                await #expect(
                    throws: RegisterError.denied(
                        AccessDenial(
                            rule: "token.own",
                            reason: "users issue their own tokens; an administrator never holds another user's credentials"))
                ) {
                    try await f.directory.issueToken(for: f.hackneyOfficer.id, label: "nope", validForDays: 1, by: other)
                }
            }
            let token = try await f.directory.issueToken(for: f.hackneyOfficer.id, label: "test", validForDays: 30, by: f.hackneyOfficer)
            #expect(try await f.directory.authenticate(token: token).id == f.hackneyOfficer.id)
            await #expect(throws: RegisterError.self) { try await f.directory.authenticate(token: token + "x") }
            _ = try await f.directory.updateUser(f.hackneyOfficer.id, { _ in }, disabled: true, by: f.administrator)
            await #expect(throws: RegisterError.self) { try await f.directory.authenticate(token: token) }
            // No credential is issued to a disabled account, by anyone: it would work once enabled.
            await #expect(throws: RegisterError.self) {
                try await f.directory.issueToken(for: f.hackneyOfficer.id, label: "while off", validForDays: 30, by: Directory.commandLine)
            }
            // Re-enabling waits for governance: until then the account can do nothing.
            let asked = try await f.directory.updateUser(f.hackneyOfficer.id, { _ in }, disabled: false, by: f.administrator)
            #expect(asked.isActive && asked.awaitingGrant)
            do {
                _ = try await f.register.listSubjects(before: nil, by: asked, for: purpose)
                Issue.record("a re-enabled account read the register before governance approved it")
            } catch RegisterError.denied(let denial) {
                #expect(denial.rule == "grant.pending")
            }
            #expect(try await f.directory.pendingGrants(by: f.governance).map(\.grant.userID) == [f.hackneyOfficer.id])
            let enabled = try await f.directory.decideGrant(
                f.hackneyOfficer.id, version: try await f.grantVersion(of: f.hackneyOfficer.id), approve: true,
                reason: "Returned from leave; line manager confirmed", by: f.governance)
            #expect(enabled.isActive && !enabled.awaitingGrant)
            // And the old token stays revoked.
            await #expect(throws: RegisterError.unauthenticated("the bearer token is unknown, expired or revoked")) {
                try await f.directory.authenticate(token: token)
            }
        }
    }

    /// Whoever holds the server's files bootstraps the installation from the command line, and
    /// that ends when governance exists: from then on an account made there waits for governance
    /// like any other, and can do nothing meanwhile.
    @Test(arguments: databases) func theCommandLineGrantsAtOnceOnlyUntilGovernanceExists(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let late = try await f.directory.createUser(
                UserDraft(
                    username: "late-administrator", displayName: "Late Administrator", role: "administrator", unit: "central",
                    trainingCompletedOn: RegisterFixture.trainedOn), passwordHash: nil, by: Directory.commandLine)
            #expect(late.awaitingGrant)
            do {
                _ = try await f.directory.users(limit: 10, offset: 0, by: late)
                Issue.record("an account the command line made after governance existed acted before approval")
            } catch RegisterError.denied(let denial) {
                #expect(denial.rule == "grant.pending")
            }
            #expect(try await f.directory.pendingGrants(by: f.governance).contains { $0.grant.userID == late.id })
        }
    }

    @Test(arguments: databases) func aGrantByAnAdministratorTakesEffectOnlyWhenGovernanceApproves(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let asked = try await f.directory.createUser(
                UserDraft(
                    username: "new-analyst", displayName: "New Analyst", role: "central-analyst", unit: "central",
                    trainingCompletedOn: RegisterFixture.trainedOn), passwordHash: nil, by: f.administrator)
            #expect(asked.awaitingGrant)
            let subject = try await f.register.recordSubject(RegisterFixture.draft(), by: f.hackneyOfficer, for: purpose)
            await #expect(throws: RegisterError.self, "an ungranted account reads nothing") {
                _ = try await f.register.subject(subject, by: asked, for: purpose)
            }
            #expect(
                try await f.directory.pendingGrants(by: f.administrator).map(\.grant.userID) == [asked.id],
                "the administrator sees what is pending")
            #expect(try await f.directory.pendingGrants(by: f.governance).map(\.grant.userID) == [asked.id], "and so does governance")
            await #expect(throws: RegisterError.self, "the administrator cannot approve") {
                _ = try await f.directory.decideGrant(
                    asked.id, version: try await f.grantVersion(of: asked.id), approve: true, reason: "I asked for it and I approve it",
                    by: f.administrator)
            }
            await #expect(
                throws: RegisterError.invalid([
                    FieldViolation(field: "reason", rule: "decision.reason", message: "say why, in at least 20 characters")
                ])
            ) {
                _ = try await f.directory.decideGrant(
                    asked.id, version: try await f.grantVersion(of: asked.id), approve: true, reason: "fine", by: f.governance)
            }
            let granted = try await f.directory.decideGrant(
                asked.id, version: try await f.grantVersion(of: asked.id), approve: true,
                reason: "Vetted and trained; analyst post confirmed", by: f.governance)
            #expect(!granted.awaitingGrant)
            _ = try await f.register.subject(subject, by: granted, for: purpose)

            // Raising a granted user waits too; narrowing is immediate.
            let raised = try await f.directory.updateUser(
                f.hackneySPOC.id, { $0.permissions = [Permission.sensitiveData.rawValue] }, by: f.administrator)
            #expect(raised.permissions.isEmpty, "the sensitive-data permission is not in force before approval")
            await #expect(throws: RegisterError.self) { _ = try await f.register.ethnicity(of: subject, by: raised, for: purpose) }
            let approved = try await f.directory.decideGrant(
                f.hackneySPOC.id, version: try await f.grantVersion(of: f.hackneySPOC.id), approve: true,
                reason: "Needs ethnicity for the equality review", by: f.governance)
            _ = try await f.register.ethnicity(of: subject, by: approved, for: purpose)
            let narrowed = try await f.directory.updateUser(f.hackneySPOC.id, { $0.permissions = [] }, by: f.administrator)
            let stillPending = try await f.directory.pendingGrants(by: f.governance)
            #expect(narrowed.permissions.isEmpty && stillPending.isEmpty)

            // Refusing a new account leaves it disabled; every decision is logged.
            let refusedUser = try await f.directory.createUser(
                UserDraft(
                    username: "new-auditor", displayName: "New Auditor", role: "auditor", unit: "central",
                    trainingCompletedOn: RegisterFixture.trainedOn), passwordHash: nil, by: f.administrator)
            #expect(
                try await f.directory.decideGrant(
                    refusedUser.id, version: try await f.grantVersion(of: refusedUser.id), approve: false,
                    reason: "No business need for audit access", by: f.governance
                ).disabledAt != nil)
            let log = try await f.register.auditPage(
                AuditFilter(actor: f.governance.id.description, operation: "user-change"), by: f.auditor, for: RegisterFixture.auditPurpose)
            // The three decisions here, and the SPOC's first approval when the fixture was set up.
            let decided: Set<UserID> = [asked.id, f.hackneySPOC.id, refusedUser.id]
            let here = log.entries.filter { e in
                e.entry.action == "grant.decide"
                    && e.entry.touched.contains { $0.kind == .user && decided.map(\.description).contains($0.id ?? "") }
            }
            #expect(here.count == 4, "\(here.map(\.entry.touched))")
        }
    }

    @Test(arguments: databases) func lapsedTrainingAndExpiredVettingStopEverything(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let today = clock.clock.now().day
            let vetted = try await f.directory.updateUser(
                f.hackneyOfficer.id,
                {
                    $0.vettingLevel = "NPPV3"
                    $0.vettingExpiresOn = today.adding(days: 100).description
                }, by: f.administrator)
            #expect(vetted.vetting == Vetting(level: .nppv3, expiresOn: today.adding(days: 100)))
            _ = try await f.register.recordSubject(RegisterFixture.draft(), by: vetted, for: purpose)
            clock.advance(seconds: 101 * 86_400)
            await #expect(
                throws: RegisterError.denied(
                    AccessDenial(rule: "vetting.expired", reason: "NPPV3 vetting expired on \(today.adding(days: 100))"))
            ) {
                _ = try await f.register.recordSubject(RegisterFixture.draft(), by: vetted, for: purpose)
            }
            // Training recorded a month before the test lapses a year after it.
            clock.advance(seconds: 240 * 86_400)
            await #expect(throws: RegisterError.self) {
                _ = try await f.register.recordSubject(RegisterFixture.draft(), by: f.hackneySPOC, for: purpose)
            }
            // The auditor has lapsed too, until a refresher is recorded.
            let later = clock.clock.now().day.description
            let auditor = try await f.directory.updateUser(f.auditor.id, { $0.trainingCompletedOn = later }, by: f.administrator)
            let log = try await f.register.auditPage(
                AuditFilter(actor: f.hackneySPOC.id.description, operation: "refusal"), by: auditor, for: RegisterFixture.auditPurpose)
            #expect(
                log.entries.first?.entry.outcome?.contains("training lapsed") == true, "\(log.entries.first?.entry.outcome ?? "no entry")")
        }
    }

    @Test(arguments: databases) func anOlderRegistersKeysAndNameIndexAreMovedOutOfTheData(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let subject = try await f.register.recordSubject(
                RegisterFixture.draft(given: "Orsola", family: "Pettigrew"), by: f.hackneyOfficer, for: purpose)
            let keys = SQLSubjectKeyStore(driver: f.store.keyDriver)
            let wrapped = try #require(try await keys.wrappedKey(for: subject))
            let tokens = try await f.store.keyDriver.read { db in
                try await db.select().columns("unit", "token").from("subject_search").all().map {
                    (try $0.decode(column: "unit", as: String.self), try $0.decode(column: "token", as: String.self))
                }
            }
            // As an older register held them: beside the data, not in the key store.
            try await f.store.keyDriver.transaction { db in
                try await db.delete(from: "subject_keys").run()
                try await db.delete(from: "subject_search").run()
            }
            try await f.store.tamper(
                "INSERT INTO subject_keys (subject_id, wrapped_key, created_at_us) VALUES ('\(subject)', '\(wrapped.base64EncodedString())', 0)"
            )
            for (unit, token) in tokens {
                try await f.store.tamper(
                    "INSERT INTO subject_search (subject_id, unit, token) VALUES ('\(subject)', '\(unit)', '\(token)')")
            }
            #expect(try await f.register.searchSubjects(name: "Pettigrew", dateOfBirth: nil, by: f.hackneyOfficer, for: purpose).isEmpty)

            #expect(try await keys.adoptKeys(from: f.store.driver) == 1)
            #expect(try await keys.adoptSearchTokens(from: f.store.driver) == tokens.count)
            #expect(try await f.store.tablesMentioning(subject.description).isDisjoint(with: ["subject_keys", "subject_search"]))
            #expect(
                try await f.register.searchSubjects(name: "Pettigrew", dateOfBirth: nil, by: f.hackneyOfficer, for: purpose).map(\.id) == [
                    subject
                ])
            #expect(try await keys.adoptSearchTokens(from: f.store.driver) == 0, "a second start moves nothing")
        }
    }

    @Test(arguments: databases) func migrationsAreRecordedAndRunOnce(_ db: TestDatabase) async throws {
        try await withTestStore(db) { store in
            let applied = try await Migrations.run(on: store.driver)
            #expect(applied.isEmpty)
        }
    }
}
