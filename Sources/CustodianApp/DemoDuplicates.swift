import CustodianCore
import Foundation

/// Planted duplicates: people the demo's boroughs hold who are also recorded by a neighbouring
/// borough, under the spellings and slips that separate two spreadsheets (a vowel, a swapped day
/// and month, an alias for a name, a missing PNC id), so the duplicate queue has real work.
enum DemoDuplicates {
    /// From which borough's people to which neighbour's feed.
    static let routes: [(from: Borough, to: Borough)] = [
        (.hackney, .newham), (.newham, .towerHamlets), (.lambeth, .southwark), (.croydon, .lambeth),
        (.haringey, .enfield), (.hackney, .islington), (.southwark, .lewisham), (.brent, .ealing),
    ]

    struct Planted {
        let original: SubjectID
        let copy: SubjectID
    }

    static func plant(_ runtime: Runtime, boroughs: [DemoGovernance.Borough]) async throws -> [Planted] {
        let purpose = StatedPurpose(purpose: .dataQuality, justification: "Synthetic demo data load (no real people)")
        let today = runtime.register.clock.now().day
        var planted: [Planted] = []
        for (n, route) in routes.enumerated() {
            guard let source = boroughs.first(where: { $0.unit == route.from }), let target = boroughs.first(where: { $0.unit == route.to })
            else { continue }
            // A person the source borough holds as a suspect, with a PNC id and a date of birth.
            let suspects = Set(source.batch.links.filter { $0.category == "suspect" }.map(\.subject))
            let candidates = source.batch.subjects.filter {
                suspects.contains($0.ref) && $0.draft.pncID != nil && $0.draft.dateOfBirth != nil
            }
            guard candidates.count > n, let original = source.outcome.subjects[candidates[n].ref] else { continue }
            var draft = candidates[n].draft
            vary(&draft, kind: n % 4)
            var batch = RecordBatch()
            batch.subjects.append(.init(ref: "dup", draft: draft))
            batch.matters.append(
                .init(
                    ref: "m",
                    draft: MatterDraft(
                        kind: "offence", reference: String(format: "CRIS-%07d/%02d", 4_200_000 + n, today.year % 100),
                        offence: OffenceType.robbery.rawValue, occurredOn: today.adding(days: -30 - n).description, basis: "fact")))
            batch.links.append(.init(subject: "dup", matter: "m", category: "suspect"))
            let outcome = try await runtime.register.recordBatch(batch, by: target.officer, for: purpose)
            if let copy = outcome.subjects["dup"] { planted.append(Planted(original: original, copy: copy)) }
        }
        return planted
    }

    /// The analyst scans once, so the queue is ready when the demo starts, and reads the queue
    /// back to count how many planted pairs it holds (every one, unless the method regressed).
    static func scan(_ runtime: Runtime, planted: [Planted]) async throws -> (scan: DuplicateScan, found: Int) {
        let analyst = try await DemoData.user("analyst", runtime)
        let purpose = StatedPurpose(purpose: .dataQuality, justification: "Demo: the first scan for records of one person")
        let scan = try await runtime.register.scanForDuplicates(by: analyst, for: purpose)
        var queued = Set<String>()
        var offset: Int? = 0
        while let start = offset {
            let page = try await runtime.register.duplicateQueue(offset: start, limit: 100, by: analyst, for: purpose)
            queued.formUnion(page.pairs.map(\.candidate.pair.key))
            offset = page.next
        }
        let found = planted.filter { SubjectPair($0.original, $0.copy).map { queued.contains($0.key) } ?? false }.count
        return (scan, found)
    }

    /// The slips between two boroughs' spreadsheets, one kind per planted person.
    static func vary(_ draft: inout SubjectDraft, kind: Int) {
        guard var name = draft.names.first else { return }
        draft.addresses = ["Address held by the other borough (synthetic)"]
        switch kind {
        case 0:
            // A vowel of the family name mistyped; the same PNC id and date of birth.
            name.family = misspelt(name.family)
        case 1:
            // No PNC id in this borough's sheet; the given name misspelt.
            name.given = misspelt(name.given)
            draft.pncID = nil
        case 2:
            // Day and month swapped (or a digit slipped), the family name misspelt, the other
            // borough's spelling kept as an alias; no PNC id.
            if let dob = draft.dateOfBirth.flatMap(LocalDate.init(iso:)) {
                let swapped = dob.day != dob.month ? LocalDate(year: dob.year, month: dob.day, day: dob.month) : nil
                draft.dateOfBirth =
                    (swapped ?? LocalDate(year: dob.year, month: dob.month, day: dob.day == 28 ? 27 : dob.day + 1))?.description
            }
            draft.aliases = [name.given + " " + name.family]
            name.family = misspelt(name.family)
            draft.pncID = nil
        default:
            // Recorded under the street name the other borough holds as an alias, with the same PNC id.
            draft.aliases = [name.given + " " + name.family]
            name.given = draft.nickname ?? misspelt(name.given)
        }
        draft.names = [name]
    }

    /// Changes the first vowel after the first letter: the Soundex code stays, the spelling does not.
    static func misspelt(_ word: String) -> String {
        let swaps: [Character: Character] = ["a": "e", "e": "a", "i": "y", "o": "u", "u": "o", "y": "i"]
        var letters = Array(word)
        for i in letters.indices.dropFirst() {
            if let swap = swaps[letters[i]] {
                letters[i] = swap
                return String(letters)
            }
        }
        return word + "e"
    }
}
