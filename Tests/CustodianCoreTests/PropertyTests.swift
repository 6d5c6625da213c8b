import CustodianCore
import Foundation
import PropertyBased
import Testing

/// Generated inputs, hostile ones weighted in: the validators and the canonical audit entry hold
/// their promises for every input, not only for the examples someone thought of.
enum Hostile {
    /// Characters attackers and broken feeds send: controls, NUL, bidi overrides and isolates,
    /// zero-width, combining marks, separators, an emoji, a decomposed é.
    static let scalars: [Unicode.Scalar] = [
        "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{200B}", "\u{200D}", "\u{200E}", "\u{202E}", "\u{2066}",
        "\u{2069}", "\u{2028}", "\u{FEFF}", "\u{301}", "\u{1F52A}", "\t", "\n", "\r", " ", "e", "A", "-", "'",
    ]

    static let scalar = Gen<Unicode.Scalar?>.element(of: scalars).map { $0 ?? " " }
    static let anyScalar = Gen<UInt32>.value(in: 0...0x10FFFF).map { Unicode.Scalar($0) ?? "\u{FFFD}" }
    static let mixed = Gen<Unicode.Scalar>.oneOf(scalar.eraseToAnySequence(), anyScalar.eraseToAnySequence())

    static func text(_ length: ClosedRange<Int>) -> Generator<String, AnySequence<Any>> {
        mixed.array(of: length).map { scalars in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        }.eraseToAny()
    }
}

@Suite struct ValidatorProperties {
    /// Whatever comes in, `text` never traps, and what it accepts is trimmed NFC with no hidden
    /// character, no longer than the limit; what it refuses, it names by rule.
    @Test func textIsNormalisedOrRefusedByName() async {
        await propertyCheck(count: 2_000, input: Hostile.text(0...40)) { input in
            var v = Validator()
            let out = v.text(input, "field", max: 20)
            let rules = Set(v.violations.map(\.rule))
            #expect(v.violations.allSatisfy { $0.field == "field" })
            guard let out else {
                #expect(rules == ["required"])
                #expect(input.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
                return
            }
            #expect(out == out.precomposedStringWithCanonicalMapping)
            #expect(out == out.trimmingCharacters(in: .whitespacesAndNewlines) && !out.isEmpty)
            let hidden = out.unicodeScalars.contains { scalar in
                switch scalar.value {
                case 0x09, 0x0A, 0x0D: false
                case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF: true
                default: false
                }
            }
            #expect(hidden == rules.contains("text.characters"), "\(input.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect((out.count > 20) == rules.contains("max-length"))
            #expect(rules.isSubset(of: ["text.characters", "max-length"]))
        }
    }

    /// A subject draft of any shape is either a subject within every published limit or a refusal
    /// naming at least one field; never a trap, never a half-checked subject.
    @Test func aSubjectDraftIsWithinLimitsOrRefusedByName() async {
        let name = zip(Hostile.text(0...6), Hostile.text(0...6)).map { SubjectDraft.Name(given: $0, family: $1) }
        let date = Gen<String?>.oneOf(
            Gen.always(nil).eraseToAnySequence(), Hostile.text(0...10).map { Optional($0) }.eraseToAnySequence(),
            zip(Gen.int(in: -5...10_050), Gen.int(in: -1...14), Gen.int(in: -1...33))
                .map { Optional(String(format: "%04d-%02d-%02d", $0, $1, $2)) }.eraseToAnySequence())
        let sex = Gen<String?>.element(of: ["male", "female", "not-known", "unknown", "", "MALE"]).map { $0 ?? "" }
        let draft = zip(name.array(of: 0...12), Hostile.text(0...4).array(of: 0...22), date, sex).map {
            SubjectDraft(names: $0, aliases: $1, dateOfBirth: $2, sex: $3)
        }
        let now = Timestamp(Date(timeIntervalSince1970: 1_796_000_000))
        await propertyCheck(count: 1_000, input: draft) { draft in
            do {
                let subject = try draft.validated(id: SubjectID(UUID()), unit: .hackney, author: UserID(UUID()), now: now)
                let p = subject.personal
                #expect((1...SubjectDraft.maxNames).contains(p.names.count))
                #expect(p.aliases.count <= SubjectDraft.maxAliases)
                for n in p.names {
                    #expect(!n.given.isEmpty && n.given.count <= 100 && n.given == n.given.precomposedStringWithCanonicalMapping)
                }
                if let dob = p.dateOfBirth { #expect(dob <= now.day && dob.age(on: now.day) <= 120) }
            } catch RegisterError.invalid(let violations) {
                #expect(!violations.isEmpty && violations.allSatisfy { !$0.field.isEmpty && !$0.rule.isEmpty })
            } catch {
                Issue.record("refused other than by validation: \(error)")
            }
        }
    }

    /// Every valid calendar day prints and parses back to itself, and its midnight (computed by
    /// arithmetic) turns back into the same day; from 1583, when Foundation's calendar is Gregorian
    /// too (before, it is Julian; ISO 8601 dates stay Gregorian), it is Foundation's midnight.
    @Test func everyDayRoundTripsAndItsMidnightIsFoundations() async {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let day = zip(Gen.int(in: 1...9999), Gen.int(in: 1...12), Gen.int(in: 1...31)).compactMap {
            LocalDate(year: $0, month: $1, day: $2)
        }
        await propertyCheck(count: 2_000, input: day) { day in
            #expect(LocalDate(iso: day.description) == day)
            #expect(LocalDate(day.startOfDay) == day)
            if day.year >= 1583 {
                #expect(day.startOfDay == calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)))
            }
            #expect(day.adding(days: 1) > day)
        }
    }
}

@Suite struct CanonicalEntryProperties {
    struct Shape: Sendable {
        var sequence: Int64, micros: Int64, operation: AuditEntry.Operation, role: Role, purpose: Purpose?
        var action: String, text: String?, subjects: Int, touched: Int, width: Int
    }

    static func entry(_ shape: Shape) -> RecordedAuditEntry {
        // Now and then one field far past 16 bits, which the format must carry whole.
        let long: String? = shape.width == 3 ? String(repeating: "é", count: 40_000) : nil
        let touched: [AuditResource] = (0..<shape.touched).map { i in
            // Canonical ids (compacted), upper-case ones and texts (both kept as text).
            switch i % 4 {
            case 0, 1: .subject(SubjectID(UUID()))
            case 2: AuditResource(.matter, UUID().uuidString)
            default: AuditResource(.auditProof, "note \(i)", part: "\(i)/\(i + 1)")
            }
        }
        let subjects: [SubjectID] = (0..<shape.subjects).map { _ in SubjectID(UUID()) }
        let entry = AuditEntry(
            at: Timestamp(microseconds: shape.micros), operation: shape.operation, action: long ?? shape.action, actorID: UserID(UUID()),
            role: shape.role, unit: Scope.all[shape.touched % Scope.all.count], purpose: shape.purpose, justification: shape.text,
            subjects: subjects, recipient: shape.text.map { "partner:" + $0 }, touched: touched,
            outcome: shape.width == 2 ? shape.action : nil)
        return RecordedAuditEntry(sequence: shape.sequence, entry: entry)
    }

    static let entries: Generator<RecordedAuditEntry, AnySequence<Any>> = zip(
        zip(Gen.int64(in: 0...Int64.max), Gen.int64(in: -62_135_596_800_000_000...253_402_300_799_000_000)),
        zip(Gen<AuditEntry.Operation>.case, Gen<Role>.case, Gen<Purpose?>.element(of: Purpose.allCases)),
        zip(Hostile.text(0...30), Hostile.text(0...30).optional),
        zip(Gen.int(in: 0...70), Gen.int(in: 0...70), Gen.int(in: 0...3))
    ).map { numbers, kinds, texts, counts in
        entry(
            Shape(
                sequence: numbers.0, micros: numbers.1, operation: kinds.0, role: kinds.1, purpose: kinds.2,
                action: texts.0, text: texts.1, subjects: counts.0, touched: counts.1, width: counts.2))
    }.eraseToAny()

    /// Every entry survives its canonical bytes exactly, whatever its texts and however many
    /// subjects; long fields are carried whole (version 2), never cut.
    @Test func everyEntryDecodesToItself() async throws {
        await propertyCheck(count: 500, input: Self.entries) { recorded in
            for bytes in [CanonicalEntry.encode(recorded), CanonicalEntry.encodeOpen(recorded)] {
                #expect(throws: Never.self) { try CanonicalEntry.decode(bytes) }
                #expect((try? CanonicalEntry.decode(bytes)) == recorded)
                #expect(CanonicalEntry.openingsMatch(bytes))
            }
        }
    }

    /// Any bytes at all: decoding never traps, and what it accepts as an open entry re-encodes to
    /// the very same bytes, so one entry has one canonical form and one leaf hash. (A committed
    /// entry's form depends on its seed: its digests are what pin it.)
    @Test func arbitraryBytesDecodeOnlyToTheirOneEncoding() async {
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...200)
        await propertyCheck(count: 3_000, input: bytes) { raw in
            let data = Data(raw)
            if let decoded = try? CanonicalEntry.decode(data), data.first != CanonicalEntry.committedVersion {
                #expect(CanonicalEntry.encodeOpen(decoded) == data)
            }
        }
    }

    /// Flipping any one byte of a real entry either fails to decode or decodes to another entry.
    @Test func everyByteMatters() async {
        await propertyCheck(count: 300, input: Self.entries, Gen.int(in: 0...10_000), Gen<UInt8>.value(in: 1...255)) { recorded, at, mask in
            for encoded in [CanonicalEntry.encode(recorded), CanonicalEntry.encodeOpen(recorded)] {
                var bytes = [UInt8](encoded)
                let i = at % bytes.count
                bytes[i] ^= mask
                // A committed entry's digests and openings are checked against each other, not decoded.
                if let other = try? CanonicalEntry.decode(Data(bytes)), CanonicalEntry.openingsMatch(Data(bytes)) {
                    #expect(other != recorded)
                }
            }
        }
    }
}

/// Ids as RFC 9562 version 7: time-ordered, the version and variant bits set, none repeated.
@Suite struct IdentifierTests {
    @Test func idsAreVersion7TimeOrderedAndUnique() {
        let ids: [SubjectID] = (0..<2_000).map { _ in IdentifierSource.v7.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let bytes = withUnsafeBytes(of: id.uuid.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 7 && bytes[8] >> 6 == 0b10, "\(id)")
        }
        let millis = ids.map { id in withUnsafeBytes(of: id.uuid.uuid) { $0.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } }
        #expect(millis == millis.sorted(), "ids made later sort later")
        // The random part varies in every byte position, not only in some.
        for position in 9..<16 {
            #expect(Set(ids.map { withUnsafeBytes(of: $0.uuid.uuid) { $0[position] } }).count > 100, "byte \(position)")
        }
    }

    /// The id's own text reader and writer agree with Foundation's on every id, and refuse what is
    /// not the canonical 8-4-4-4-12 form.
    @Test func idTextIsFoundationsCanonicalFormAndNothingElse() {
        for _ in 0..<2_000 {
            let uuid = UUID()
            #expect(UUIDText.format(uuid) == uuid.uuidString.lowercased())
            #expect(UUIDText.parse(uuid.uuidString) == uuid && UUIDText.parse(uuid.uuidString.lowercased()) == uuid)
        }
        let good = "0190f5a4-7b2c-7d3e-8f40-123456789abc"
        #expect(SubjectID(good)?.description == good)
        for bad in [
            "", "{\(good)}", " \(good)", "\(good) ", good.replacingOccurrences(of: "-", with: ""), String(good.dropLast()),
            good + "0", "0190f5a4-7b2c-7d3e-8f40-123456789abg", "0190f5a47-b2c-7d3e-8f40-123456789abc",
            "+190f5a4-7b2c-7d3e-8f40-123456789abc", "0190f5a4-7b2c-7d3e-8f40-12345678\u{e9}bc",
        ] {
            #expect(UUIDText.parse(bad) == nil, "\(bad)")
        }
    }
}
