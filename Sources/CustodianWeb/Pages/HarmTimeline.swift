import CustodianCore
import Foundation

/// A harm score drawn as the events that make it up, on a line of time ending on the day it was
/// assessed: each counted event a stem as tall as the points it adds (older ones shorter, as they
/// decay), each event that counts for nothing a hollow mark on the line. The table beside it
/// gives every input and its working, for anyone who cannot see the picture.
enum HarmTimeline {
    static let width = 400.0, height = 150.0, left = 12.0, right = 12.0, baseline = 118.0, top = 22.0

    static func svg(_ h: HarmAssessment, id: String) -> String? {
        let dated = h.lines.compactMap { line in line.on.map { (line, $0) } }
        guard let earliest = dated.map(\.1).min() else { return nil }
        let start = min(earliest, h.assessedOn.adding(days: -365))
        let span = Double(max(start.days(until: h.assessedOn), 1))
        let highest = max(dated.map(\.0.points).max() ?? 0, 1e-9)
        func x(_ day: LocalDate) -> Double {
            left + Double(start.days(until: min(day, h.assessedOn))) / span * (width - left - right)
        }
        let counted = dated.filter { $0.0.points > 0 }
        let summary =
            "Harm score \(String(format: "%.1f", h.score)) on \(h.assessedOn): "
            + (counted.isEmpty
                ? "no event adds to it"
                : counted.map { "\(String(format: "%.1f", $0.0.points)) points from \($0.1)" }.joined(separator: ", "))
            + "; \(dated.count - counted.count) event(s) count for nothing"
        var svg = """
            <svg class="chart harm-timeline" role="img" aria-labelledby="\(id)-title" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-title">\(EqualityChart.escape(summary))</title>
            <line class="axis" x1="\(f(left))" y1="\(f(baseline))" x2="\(f(width - right))" y2="\(f(baseline))"/>

            """
        var year = start.year + 1
        while let tick = LocalDate(year: year, month: 1, day: 1), tick <= h.assessedOn {
            svg += "<line class=\"grid\" x1=\"\(f(x(tick)))\" y1=\"\(f(top))\" x2=\"\(f(x(tick)))\" y2=\"\(f(baseline + 4))\"/>"
            svg += "<text class=\"tick\" x=\"\(f(x(tick)))\" y=\"\(f(baseline + 18))\" text-anchor=\"middle\">\(year)</text>\n"
            year += 1
        }
        for (line, day) in dated {
            if line.points > 0 {
                let y = baseline - line.points / highest * (baseline - top)
                svg += "<line class=\"stem\" x1=\"\(f(x(day)))\" y1=\"\(f(baseline))\" x2=\"\(f(x(day)))\" y2=\"\(f(y))\"/>"
                svg += "<circle class=\"event\" cx=\"\(f(x(day)))\" cy=\"\(f(y))\" r=\"4\"/>"
                // A value near either end is written inward, so it is never cut off.
                let anchor = x(day) > width - 40 ? "end" : x(day) < 40 ? "start" : "middle"
                svg +=
                    "<text class=\"tick\" x=\"\(f(x(day)))\" y=\"\(f(y - 8))\" text-anchor=\"\(anchor)\">\(String(format: "%.1f", line.points))</text>\n"
            } else {
                svg += "<circle class=\"not-counted\" cx=\"\(f(x(day)))\" cy=\"\(f(baseline))\" r=\"4\"/>\n"
            }
        }
        svg +=
            "<text class=\"tick\" x=\"\(f(width - right))\" y=\"\(f(baseline + 32))\" text-anchor=\"end\">assessed \(h.assessedOn)</text>\n"
        return svg + "</svg>"
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
