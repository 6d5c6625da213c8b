import Foundation

/// The GOV.UK date input: a date typed as day, month and year in three boxes, posted as
/// `NAME-day`, `NAME-month` and `NAME-year`, and read as one `YYYY-MM-DD` value, so every rule
/// about dates stays in the register's own date parsing and its words.
enum DateParts {
    /// "7", "3", "2009" → "2009-03-07". All three blank → "" (no date given). What is not a
    /// number is kept as typed, so the register refuses it and the boxes show it again.
    static func join(day: String, month: String, year: String) -> String {
        let (d, m, y) = (trim(day), trim(month), trim(year))
        if d.isEmpty, m.isEmpty, y.isEmpty { return "" }
        return "\(y)-\(pad(m))-\(pad(d))"
    }

    /// "2009-03-07" → ("7", "3", "2009"), as a person would type them. A value that is not three
    /// parts is shown whole in the year box rather than lost.
    static func split(_ value: String) -> (day: String, month: String, year: String) {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return ("", "", value) }
        return (unpad(parts[2]), unpad(parts[1]), parts[0])
    }

    /// Adds `NAME` = the joined date for every `NAME-day`, `NAME-month`, `NAME-year` trio whose
    /// `NAME` was not posted itself.
    static func joined(_ pairs: [(String, String)]) -> [(String, String)] {
        var pairs = pairs
        let names = Set(pairs.map(\.0))
        for (key, _) in pairs where key.hasSuffix("-day") {
            let name = String(key.dropLast("-day".count))
            guard !names.contains(name), names.contains(name + "-month"), names.contains(name + "-year") else { continue }
            let value = { (part: String) in pairs.first { $0.0 == name + part }?.1 ?? "" }
            pairs.append((name, join(day: value("-day"), month: value("-month"), year: value("-year"))))
        }
        return pairs
    }

    private static func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
    private static func pad(_ s: String) -> String { s.count == 1 && s.allSatisfy(\.isNumber) ? "0" + s : s }
    private static func unpad(_ s: String) -> String { s.count == 2 && s.hasPrefix("0") ? String(s.dropFirst()) : s }
}
