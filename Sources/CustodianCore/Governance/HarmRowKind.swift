/// What a harm assessment's row says in clear beside its sealed body, for counting: its band, or
/// `zero` for a score of nothing. The dashboard counts included people with a zero score from it
/// without unwrapping anyone's key: opening each included person's assessment made the dashboard
/// the first thing to break at national scale (3 s at a million people, 20,000 included).
///
/// A zero score is always green, so this tells no more than the band already did, to anyone who
/// reads the table. Rows written before it (migration 0022) say `green-unopened` where they said
/// `green`: only those are opened to tell zero from the rest.
public enum HarmRowKind {
    public static let zero = "zero"
    public static let unopenedGreen = "green-unopened"

    public static func of(_ assessment: HarmAssessment) -> String {
        assessment.score == 0 ? zero : assessment.band.rawValue
    }

    /// Whether a row's score is zero, as far as its kind tells: nil for a row from before 0022,
    /// which must be opened to know.
    public static func isZero(_ kind: String) -> Bool? {
        kind == unopenedGreen ? nil : kind == zero
    }
}
