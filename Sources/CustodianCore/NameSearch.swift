import Foundation

/// One thing a subject can be found by. Only its keyed hash is stored.
public enum SearchTerm: Hashable, Sendable {
    /// A normalised name word (given, family, alias or nickname).
    case word(String)
    /// The phonetic code of a name word, so that spelling variants meet.
    case phonetic(String)
    case dateOfBirth(LocalDate)
    /// A Police National Computer id, as `NameSearch.pnc` normalises it.
    case pnc(String)

    var canonical: String {
        switch self {
        case .word(let w): "w:\(w)"
        case .phonetic(let p): "p:\(p)"
        case .dateOfBirth(let d): "d:\(d)"
        case .pnc(let id): "n:\(id)"
        }
    }
}

/// Name normalisation and phonetic coding for search over hashed tokens.
public enum NameSearch {
    /// Folds case and diacritics and splits into words of letters: "Zoë O'Neil-Smith" gives
    /// ["zoe", "oneil", "smith"].
    public static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_GB")).lowercased()
        return folded.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "")
            .split(whereSeparator: { !($0.isLetter && $0.isASCII) })
            .map(String.init)
            .filter { !$0.isEmpty }
    }

    /// The terms a subject is indexed under.
    public static func terms(for person: PersonalDetails) -> Set<SearchTerm> {
        var text = person.names.map(\.full) + person.aliases
        if let nickname = person.nickname { text.append(nickname) }
        var terms = Set<SearchTerm>()
        for word in text.flatMap(words) {
            terms.insert(.word(word))
            terms.insert(.phonetic(soundex(word)))
        }
        if let dob = person.dateOfBirth { terms.insert(.dateOfBirth(dob)) }
        if let id = person.pncID.flatMap(pnc) { terms.insert(.pnc(id)) }
        return terms
    }

    /// A PNC id as it is compared: capitals, digits and the year's slash, nothing else, so
    /// "01/1234567a" and "01/ 1234567A" meet. Nil when nothing is left.
    public static func pnc(_ text: String) -> String? {
        let kept = text.uppercased().filter { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "/" }
        return kept.isEmpty ? nil : kept
    }

    /// American Soundex (the variant the US National Archives publish): first letter kept, then
    /// consonant classes, H and W transparent, vowels separating repeats, padded to four.
    public static func soundex(_ word: String) -> String {
        let letters = Array(word.uppercased().filter { $0.isASCII && $0.isLetter })
        guard let first = letters.first else { return "" }
        func code(_ c: Character) -> Character? {
            switch c {
            case "B", "F", "P", "V": "1"
            case "C", "G", "J", "K", "Q", "S", "X", "Z": "2"
            case "D", "T": "3"
            case "L": "4"
            case "M", "N": "5"
            case "R": "6"
            default: nil
            }
        }
        var result = String(first)
        var previous = code(first)
        for c in letters.dropFirst() {
            if c == "H" || c == "W" { continue }
            let digit = code(c)
            if let digit, digit != previous { result.append(digit) }
            previous = digit
            if result.count == 4 { break }
        }
        return result.padding(toLength: 4, withPad: "0", startingAt: 0)
    }
}

/// A name search as the stored tokens see it, and the rule that ranks it. Each query word is a
/// group of two tokens (the word, weight 2, and its sound, weight 1); a date of birth is a group of
/// one (weight 0). A subject is found when it holds a token of every group, and ranks by the
/// weights of the tokens it holds, summed over groups (a word met exactly and by sound scores 3),
/// then by id; the first `limit` are asked for. The key store runs this in its own query, so it
/// returns `limit` people, not every holder of a common name's sound; `rank(hits:)` is the same
/// rule over every holder of each token, which that query is tested against.
public struct NameQuery: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public let token: String
        public let group: Int
        public let weight: Int
    }

    public let terms: [Term]
    public let groups: Int
    public let limit: Int

    public init(words: [String], dateOfBirth: LocalDate?, limit: Int, tokenOf: (SearchTerm) -> String) {
        var terms: [Term] = []
        for (group, word) in words.enumerated() {
            terms.append(Term(token: tokenOf(.word(word)), group: group, weight: 2))
            terms.append(Term(token: tokenOf(.phonetic(NameSearch.soundex(word))), group: group, weight: 1))
        }
        if let dateOfBirth { terms.append(Term(token: tokenOf(.dateOfBirth(dateOfBirth)), group: words.count, weight: 0)) }
        self.terms = terms
        self.groups = words.count + (dateOfBirth == nil ? 0 : 1)
        self.limit = limit
    }

    /// Every token the query asks about, once each.
    public var tokens: [String] { Array(Set(terms.map(\.token))).sorted() }

    /// The first `limit` subjects, given for each token every subject that holds it.
    public func rank(hits: [String: Set<SubjectID>]) -> [SubjectID] {
        var score: [SubjectID: Int] = [:]
        var met: [SubjectID: Set<Int>] = [:]
        for term in terms {
            for id in hits[term.token] ?? [] {
                score[id, default: 0] += term.weight
                met[id, default: []].insert(term.group)
            }
        }
        let found = met.filter { $0.value.count == groups }.keys
        let ranked = found.sorted { (score[$0] ?? 0, $1.description) > (score[$1] ?? 0, $0.description) }
        return Array(ranked.prefix(limit))
    }
}
