import CustodianCore
import Foundation
import Testing

/// Validation rules of the register's records: each refusal names its field and rule.
@Suite struct ValidationTests {
    let now = Timestamp(microseconds: 1_780_000_000_000_000)  // 2026-05-28
    let author = UserID(UUID())

    func rules(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch RegisterError.invalid(let v) {
            return v.map { "\($0.field):\($0.rule)" }
        } catch {
            return ["not invalid: \(error)"]
        }
    }

    @Test func gradesOutsideThreeByFiveByTwoAreRefusedWithTheFieldNamed() {
        func grade(_ s: String, _ a: String, _ h: String, _ c: String? = nil) -> [String] {
            rules {
                _ = try IntelligenceDraft(
                    subjectID: UUID().uuidString, text: "x", grade: GradeDraft(source: s, assessment: a, handling: h, conditions: c),
                    sourceType: "police"
                ).validated(now: now)
            }
        }
        #expect(grade("4", "F", "P") == ["grade.source:grade.source", "grade.assessment:grade.assessment"])
        #expect(grade("1", "A", "X") == ["grade.handling:grade.handling"])
        #expect(grade("1", "A", "C") == ["grade.conditions:required"])
        #expect(grade("1", "A", "P", "some condition") == ["grade.conditions:grade.conditions-with-p"])
        #expect(grade("3", "e", "c", "Not to partners") == [])
    }

    @Test func legacyGradesAreKeptAsRecordedNeverMapped() throws {
        let item = try IntelligenceDraft(
            subjectID: UUID().uuidString, text: "old", grade: GradeDraft(scheme: "5x5x5", source: "c", assessment: "3", handling: "5"),
            sourceType: "police"
        ).validated(now: now)
        #expect(item.grade == .legacy(FiveByFiveByFive(source: "C", intelligence: "3", handling: "5")))
        #expect(item.grade.code == "C3 5 (legacy 5x5x5)")
    }

    @Test func socialMediaNeedsEveryProvenanceField() {
        let missing = rules {
            _ = try IntelligenceDraft(
                subjectID: UUID().uuidString, text: "post", grade: GradeDraft(source: "2", assessment: "C", handling: "P"),
                sourceType: "social-media"
            ).validated(now: now)
        }
        #expect(
            missing == [
                "socialMedia.locator:required", "socialMedia.capturedAt:required", "socialMedia.captureMethod:required",
                "socialMedia.contentSHA256:required", "socialMedia.attributionBasis:required",
                "socialMedia.authorisationReference:required",
            ])
        let bad = rules {
            _ = try IntelligenceDraft(
                subjectID: UUID().uuidString, text: "post", grade: GradeDraft(source: "2", assessment: "C", handling: "P"),
                sourceType: "social-media",
                socialMedia: .init(
                    locator: "https://x.example/1", capturedAt: "yesterday", captureMethod: "screenshot", contentSHA256: "abc",
                    attributionBasis: "profile photo", authorisationReference: "none needed: public post")
            ).validated(now: now)
        }
        #expect(bad == ["socialMedia.capturedAt:datetime.format", "socialMedia.contentSHA256:sha256.hex"])
        let stray = rules {
            _ = try IntelligenceDraft(
                subjectID: UUID().uuidString, text: "post", grade: GradeDraft(source: "2", assessment: "C", handling: "P"),
                sourceType: "police",
                socialMedia: .init(
                    locator: "u", capturedAt: nil, captureMethod: nil, contentSHA256: nil, attributionBasis: nil,
                    authorisationReference: nil)
            ).validated(now: now)
        }
        #expect(stray == ["socialMedia:social-media.only-for-source"])
    }

    @Test func aLinkCarriesExactlyOneS38Category() {
        #expect(
            rules { _ = try LinkDraft(subjectID: UUID().uuidString, matterID: UUID().uuidString, category: "gang-member").validated() } == [
                "category:s38-category"
            ])
        #expect(
            rules { _ = try LinkDraft(subjectID: "x", matterID: UUID().uuidString, category: "victim").validated() } == [
                "subjectId:id.format"
            ])
    }

    @Test func subjectsAreValidatedFieldByField() {
        let bad = SubjectDraft(
            names: [.init(given: " ", family: "Ng")], dateOfBirth: "2030-01-01", pncID: "ABC", sex: "unknown",
            officerDefinedEthnicity: "IC9", selfDefinedEthnicity: "martian")
        #expect(
            rules { _ = try bad.validated(id: SubjectID(UUID()), unit: .hackney, author: author, now: now) } == [
                "names[0].given:required", "dateOfBirth:date.not-future", "pncId:pnc.format", "sex:sex.known",
                "officerDefinedEthnicity:ethnicity.ic-code", "selfDefinedEthnicity:ethnicity.census-2021",
            ])
    }

    @Test func childrenAreMarkedFromTheirDateOfBirth() {
        let today = LocalDate(iso: "2026-06-01")!
        func marks(_ dob: String) -> (Bool, Bool) {
            let s = PersonalDetails(names: [], dateOfBirth: LocalDate(iso: dob), sex: .notKnown).safeguarding(on: today)
            return (s.isChild, s.isUnder10)
        }
        #expect(marks("2008-06-01") == (false, false))
        #expect(marks("2008-06-02") == (true, false))
        #expect(marks("2016-06-02") == (true, true))
    }

    @Test func flagsMustCiteEvidence() {
        #expect(rules { _ = try FlagDraft(subjectID: UUID().uuidString, kind: "knife-carrier").validated() } == ["evidence:flag.evidence"])
    }

    @Test func usersBelongWhereTheirRoleDoes() {
        func check(_ role: String, _ unit: String, training: String? = "2025-01-01", permissions: [String] = []) -> [String] {
            rules {
                _ = try UserDraft(
                    username: "a.b", displayName: "A B", role: role, unit: unit, trainingCompletedOn: training, permissions: permissions
                ).validated(id: UserID(UUID()), now: now)
            }
        }
        #expect(check("borough-officer", "central") == ["unit:unit.borough-role"])
        #expect(check("auditor", "hackney") == ["unit:unit.central-role"])
        #expect(check("auditor", "central", permissions: ["sensitive-data"]) == ["permissions:permission.sensitive-role"])
        #expect(check("borough-spoc", "hackney", permissions: ["data-protection-officer"]) == ["permissions:permission.dpo-role"])
        #expect(check("governance", "central", permissions: ["data-protection-officer"]).isEmpty)
        #expect(check("wizard", "nowhere") == ["role:role.known", "unit:unit.known"])
        #expect(check("borough-spoc", "tower-hamlets", training: "2099-01-01") == ["trainingCompletedOn:date.not-future"])
    }
}

/// Hostile text and absurd sizes are refused by the domain's validation, naming field and rule.
@Suite struct HostileTextTests {
    static let now = Timestamp(microseconds: 1_780_000_000_000_000)

    func rules(_ draft: SubjectDraft) -> [String] {
        do {
            _ = try draft.validated(id: SubjectID(UUID()), unit: .hackney, author: UserID(UUID()), now: Self.now)
            return []
        } catch {
            if case .invalid(let violations) = error { return violations.map(\.rule) }
            return ["other"]
        }
    }

    func draft(given: String = "Ada", names: Int = 1, aliases: [String] = []) -> SubjectDraft {
        SubjectDraft(
            names: Array(repeating: .init(given: given, family: "Quill"), count: names), aliases: aliases, nickname: nil,
            dateOfBirth: "2001-01-01", addresses: [], pncID: nil, sex: "female")
    }

    @Test func controlBidiAndZeroWidthCharactersAreRefused() {
        for hidden in ["A\u{0}da", "A\u{7}da", "A\u{202E}ad", "A\u{2066}da", "A\u{200B}da", "A\u{FEFF}da", "A\u{85}da"] {
            #expect(rules(draft(given: hidden)) == ["text.characters"], "\(hidden.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(rules(draft(given: "Zoë")) == [], "letters of any language are welcome")
    }

    @Test func aNameIsOneLineWithOrdinarySpacesAndLongTextMayHaveLines() {
        for spaced in ["A\tda", "A\nda", "A\r\nda", "A\u{A0}da", "A\u{2003}da", "A\u{3000}da"] {
            #expect(rules(draft(given: spaced)) == ["text.single-line"], "\(spaced.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(rules(draft(given: "Ada Mae")) == [] && rules(draft(given: "  Ada\t")) == [], "an ordinary space, and edges trimmed")
        var v = Validator()
        #expect(v.text("Seen at the station.\nThen at the estate.", "text", max: 4000) != nil)
        #expect(v.violations.isEmpty, "intelligence and reasons keep their lines")
    }

    @Test func textIsStoredInOneNormalForm() throws {
        let decomposed = "Zoe\u{0308}"
        let subject = try draft(given: decomposed).validated(id: SubjectID(UUID()), unit: .hackney, author: UserID(UUID()), now: Self.now)
        #expect(subject.personal.names.first?.given.unicodeScalars.count == 3 && subject.personal.names.first?.given == "Zoë")
    }

    @Test func absurdSizesAreRefused() {
        #expect(rules(draft(names: 10_000)) == ["max-items"])
        #expect(rules(draft(aliases: Array(repeating: "T", count: 21))) == ["max-items"])
        #expect(rules(draft(names: 10)) == [])
    }

    @Test func mattersFromBeforeAnyReviewPeriodAreRefused() {
        func rules(_ day: String) -> [String] {
            do {
                _ = try MatterDraft(kind: "incident", reference: "CAD-1", offence: nil, occurredOn: day).validated(
                    id: MatterID(UUID()), unit: .hackney,
                    author: UserID(UUID()), now: Self.now)
                return []
            } catch {
                if case .invalid(let v) = error { return v.map(\.rule) }
                return ["other"]
            }
        }
        #expect(rules("0001-01-01") == ["date.plausible"])
        #expect(rules("1950-01-01") == [])
    }
}
