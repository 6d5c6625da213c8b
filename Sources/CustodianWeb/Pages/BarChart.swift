import Foundation

/// One measure by borough as a server-rendered SVG: a bar per borough, its value written at the
/// bar's end, so the chart reads without colour and without script. Narrow by design (360 units),
/// so its words stay legible on a 375-pixel phone; the table beside it holds the same numbers for
/// anyone who cannot see it.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double
        /// The value as written: a count with thousands separators, or a share as a percentage.
        var text: String
    }

    var id: String
    var title: String
    var bars: [Bar]

    static let width = 360.0, labelWidth = 120.0, valueWidth = 64.0, rowHeight = 26.0, top = 6.0

    var svg: String {
        let plot = Self.width - Self.labelWidth - Self.valueWidth
        let highest = max(bars.map(\.value).max() ?? 0, 1e-9)
        let height = Self.top * 2 + Self.rowHeight * Double(max(bars.count, 1))
        var svg = """
            <svg class="chart bar-chart" role="img" aria-labelledby="\(id)-title" viewBox="0 0 \(Int(Self.width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-title">\(EqualityChart.escape(title)): \(EqualityChart.escape(bars.map { "\($0.label) \($0.text)" }.joined(separator: ", ")))</title>

            """
        for (i, bar) in bars.enumerated() {
            let y = Self.top + Self.rowHeight * Double(i)
            let length = bar.value <= 0 ? 0 : max(1.5, bar.value / highest * plot)
            svg +=
                "<text class=\"bar-label\" x=\"\(f(Self.labelWidth - 6))\" y=\"\(f(y + 17))\" text-anchor=\"end\">\(EqualityChart.escape(bar.label))</text>"
                + "<rect class=\"bar\" x=\"\(f(Self.labelWidth))\" y=\"\(f(y + 4))\" width=\"\(f(length))\" height=\"\(f(Self.rowHeight - 8))\"/>"
                + "<text class=\"bar-value\" x=\"\(f(Self.labelWidth + length + 4))\" y=\"\(f(y + 17))\">\(EqualityChart.escape(bar.text))</text>\n"
        }
        if bars.isEmpty {
            svg += "<text class=\"bar-label\" x=\"0\" y=\"\(f(Self.top + 15))\">None in this period</text>\n"
        }
        return svg + "</svg>"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A whole number as London writes it: 12,345.
    static func count(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB"))) }

    static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }
}
