import CustodianCore
import Foundation

/// One stage's relative rates as a server-rendered SVG: each group a point with its 95% interval
/// on a log scale, the line of equal rates at 1 and the alert threshold dashed. Readable without
/// JavaScript; the table beside it holds the same numbers for anyone who cannot see it.
enum EqualityChart {
    static let width = 600.0, labelWidth = 200.0, rowHeight = 26.0, top = 30.0, right = 20.0

    static func svg(_ breakdown: EqualityReport.Breakdown, stage: String, threshold: Double) -> String {
        let rows = breakdown.rows
        let highest = rows.compactMap { $0.upper95 ?? $0.relativeRate }.max() ?? 1
        // Whole powers of ten either side of 1, wide enough for every interval and the threshold.
        let maxExponent = max(1, Int(ceil(log10(max(highest, threshold * 1.5)))))
        let (low, high) = (-1.0, Double(maxExponent))
        let plot = width - labelWidth - right
        func x(_ value: Double) -> Double {
            labelWidth + (min(max(log10(value), low), high) - low) / (high - low) * plot
        }
        let height = top + rowHeight * Double(rows.count) + 24
        var svg = """
            <svg class="chart" role="img" aria-labelledby="chart-\(stage)-title" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="chart-\(stage)-title">Relative rate of each group against the reference group, with 95% intervals, log scale</title>

            """
        var ticks = [0.1, 0.2, 0.5, 1, 2, 5]
        for e in 1...maxExponent { ticks += [pow(10, Double(e)), 2 * pow(10, Double(e)), 5 * pow(10, Double(e))] }
        for tick in ticks where tick <= pow(10, high) {
            let tx = x(tick)
            svg +=
                "<line class=\"grid\" x1=\"\(f(tx))\" y1=\"\(f(top - 6))\" x2=\"\(f(tx))\" y2=\"\(f(height - 20))\"/>"
                + "<text class=\"tick\" x=\"\(f(tx))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(label(tick))</text>\n"
        }
        svg += "<line class=\"equal\" x1=\"\(f(x(1)))\" y1=\"\(f(top - 10))\" x2=\"\(f(x(1)))\" y2=\"\(f(height - 20))\"/>"
        svg += "<text class=\"tick\" x=\"\(f(x(1)))\" y=\"\(f(top - 14))\" text-anchor=\"middle\">same rate</text>\n"
        svg +=
            "<line class=\"threshold\" x1=\"\(f(x(threshold)))\" y1=\"\(f(top - 10))\" x2=\"\(f(x(threshold)))\" y2=\"\(f(height - 20))\"/>"
        svg +=
            "<text class=\"tick threshold-label\" x=\"\(f(x(threshold) + 4))\" y=\"\(f(top - 14))\">alert threshold \(label(threshold))</text>\n"
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(i) + 0.5)
            svg += "<text class=\"group\" x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(row.label))</text>"
            if row.isReference {
                svg += "<text class=\"note\" x=\"\(f(x(1) + 6))\" y=\"\(f(y + 4))\">reference group</text>"
            } else if row.relativeRate == 0 {
                svg += "<text class=\"note\" x=\"\(f(labelWidth + 6))\" y=\"\(f(y + 4))\">none at this stage</text>"
            } else if let ratio = row.relativeRate {
                let above = (row.lower95 ?? 0) > threshold
                if let lower = row.lower95, let upper = row.upper95 {
                    svg +=
                        "<line class=\"whisker\(above ? " above" : "")\" x1=\"\(f(x(lower)))\" y1=\"\(f(y))\" x2=\"\(f(x(upper)))\" y2=\"\(f(y))\"/>"
                }
                svg += "<circle class=\"point\(above ? " above" : "")\" cx=\"\(f(x(ratio)))\" cy=\"\(f(y))\" r=\"5\"/>"
            } else {
                let why = row.count == nil ? "suppressed" : row.population == nil ? "no baseline" : "no rate"
                svg += "<text class=\"note\" x=\"\(f(labelWidth + 6))\" y=\"\(f(y + 4))\">\(why)</text>"
            }
            svg += "\n"
        }
        return svg + "</svg>"
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func label(_ v: Double) -> String { v < 1 ? String(format: "%.1f", v) : String(format: "%g", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
