import Foundation
import Planning
import Running
import Validation

/// The network drawn as "A Step by Step Backpropagation Example" draws it: units as
/// circles in columns (the inputs, then each layer), every connection a line labelled with
/// explain's symbol for its weight and the weight's value, a layer's bias as a node "1"
/// below the column that feeds it (one node and one value for a shared bias, as the
/// tutorial's b1 and b2; one labelled line per unit otherwise), and each layer's name,
/// activation and size above its column.
///
/// Written as SVG by hand: the picture is circles, lines and text at computed positions,
/// which a few dozen lines write exactly and deterministically (integer coordinates, the
/// numbers as explain rounds them), with no dependency to vet or to keep byte-stable.
///
/// A column of more than `maxShown` units shows its first three and last two units around
/// a vertical ellipsis and notes the count; connections are labelled only in layers of at
/// most `maxLabelled` weights, so a 784-512-512-10 network stays a readable picture.
public struct NetworkDiagram {
    /// The values on the picture, and what they are (initial, after step N, final).
    public struct Values {
        public var caption: String
        public var weight: (_ layer: Int, _ unit: Int, _ input: Int) -> Double
        public var bias: (_ layer: Int, _ unit: Int) -> Double?

        public init(caption: String, weight: @escaping (Int, Int, Int) -> Double, bias: @escaping (Int, Int) -> Double?) {
            self.caption = caption
            self.weight = weight
            self.bias = bias
        }

        /// The parameters a plan starts from.
        public static func initial(_ plan: Plan) -> Values {
            let parameters = plan.initialParameters
            return Values(caption: "initial values", weight: { l, j, i in
                let layer = plan.layers[l]
                return parameters[layer.weightOffset + j * layer.inputCount + i]
            }, bias: { l, j in
                let layer = plan.layers[l]
                guard layer.biasCount > 0 else { return nil }
                return parameters[layer.biasOffset + (layer.biasShared ? 0 : j)]
            })
        }

        /// Parameters layer by layer (a results file's, a trace's).
        public static func layers(_ layers: [LayerParameters], caption: String) -> Values {
            Values(caption: caption, weight: { l, j, i in layers[l].weights[j][i] }, bias: { l, j in layers[l].bias?[j] })
        }
    }

    static let maxShown = 8
    static let maxLabelled = 16

    let name: String
    let inputCount: Int
    let layers: [LayerPlan]
    let values: Values
    private var symbols: Symbols { Symbols(layers: layers) }

    public init(name: String, plan: Plan, values: Values) {
        self.name = name
        self.inputCount = plan.inputCount
        self.layers = plan.layers
        self.values = values
    }

    /// A column's rows: unit indices, and nil for the ellipsis.
    static func shownUnits(_ count: Int) -> [Int?] {
        count <= maxShown ? Array(0..<count) : [0, 1, 2, nil, count - 2, count - 1]
    }

    private func labelled(_ l: Int) -> Bool { layers[l].weightCount <= Self.maxLabelled }

    // Layout, in SVG user units.
    private static let radius = 24, top = 104, margin = 70

    private var columnGap: Int { layers.indices.contains { labelled($0) } ? 240 : 190 }
    private var rowGap: Int { layers.indices.contains { labelled($0) } ? 110 : 72 }
    private var columnSizes: [Int] { [inputCount] + layers.map(\.units) }
    private var tallest: Int { columnSizes.map { Self.shownUnits($0).count }.max() ?? 1 }

    private func x(_ column: Int) -> Int { Self.margin + column * columnGap }
    /// Row `r` of a column with `rows` rows, centred on the tallest column.
    private func y(_ r: Int, of rows: Int) -> Int { Self.top + (tallest - rows) * rowGap / 2 + r * rowGap }
    private func y(column: Int, row: Int) -> Int { y(row, of: Self.shownUnits(columnSizes[column]).count) }
    /// The bias node of layer l sits below the column that feeds the layer, clear of the
    /// tallest column's last unit.
    private func biasY(_ l: Int) -> Int { y(tallest - 1, of: tallest) + max(rowGap * 3 / 4, 72) }

    /// Room on the right for the last column's note (`softmax, 10 units, 5 shown`).
    private var width: Int { x(layers.count) + Self.margin + 40 }
    private var height: Int { biasY(0) + Self.radius + 56 }

    /// The SVG document.
    public var svg: String {
        var edges: [String] = [], labels: [String] = [], nodes: [String] = []
        for (l, layer) in layers.enumerated() {
            let sources = Self.shownUnits(layer.inputCount), targets = Self.shownUnits(layer.units)
            for (tr, j) in targets.enumerated() {
                guard let j else { continue }
                let (x2, y2) = (x(l + 1), y(column: l + 1, row: tr))
                for (sr, i) in sources.enumerated() {
                    guard let i else { continue }
                    let (x1, y1) = (x(l), y(column: l, row: sr))
                    edges.append(line(x1, y1, x2, y2, "nn-edge"))
                    guard labelled(l) else { continue }
                    // Along the line: near the source for the first target, near the target for the last
                    // (the tutorial's placement), so the labels of crossing lines stay apart.
                    let t = targets.count == 1 ? 0.5 : 0.3 + 0.4 * Double(tr) / Double(targets.count - 1)
                    labels.append(label(symbols.weight(l, j, i).text + " = " + Math.format(values.weight(l, j, i)),
                                        x1 + Int((Double(x2 - x1) * t).rounded()), y1 + Int((Double(y2 - y1) * t).rounded())))
                }
            }
            biasNode(l, into: &edges, &labels, &nodes)
        }
        for column in columnSizes.indices {
            columnHeading(column, into: &nodes)
            for (row, unit) in Self.shownUnits(columnSizes[column]).enumerated() {
                let cy = y(column: column, row: row)
                guard let unit else {
                    nodes.append(text("\u{22EE}", x(column), cy + 8, "nn-ellipsis"))
                    continue
                }
                let symbol = column == 0 ? symbols.input(unit).text : symbols.unit(column - 1, unit).text
                nodes.append(circle(x(column), cy, "nn-unit"))
                nodes.append(text(symbol, x(column), cy + 5, symbol.count <= 3 ? "nn-symbol" : "nn-symbol nn-long"))
            }
        }
        let title = "\(name): \(values.caption)"
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="nn-diagram" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-label="\(MathTree.escaped(title))">
            <title>\(MathTree.escaped(title))</title>
            <style>\(Self.style)</style>
            <rect class="nn-background" x="0" y="0" width="\(width)" height="\(height)"/>
            \(text(title, width / 2, 26, "nn-title"))
            \((edges + labels + nodes).joined(separator: "\n"))
            </svg>

            """
    }

    /// Layer l's bias node below the column that feeds it, and its lines to the layer's units.
    private func biasNode(_ l: Int, into edges: inout [String], _ labels: inout [String], _ nodes: inout [String]) {
        let layer = layers[l]
        guard layer.biasCount > 0 else { return }
        let (bx, by) = (x(l), biasY(l))
        let targets = Self.shownUnits(layer.units)
        for (tr, j) in targets.enumerated() {
            guard let j else { continue }
            let (x2, y2) = (x(l + 1), y(column: l + 1, row: tr))
            edges.append(line(bx, by, x2, y2, "nn-edge nn-bias-edge"))
            if !layer.biasShared && labelled(l), let symbol = symbols.bias(l, j), let value = values.bias(l, j) {
                labels.append(label("\(symbol.text) = \(Math.format(value))", bx + (x2 - bx) * 3 / 4, by + (y2 - by) * 3 / 4))
            }
        }
        nodes.append(circle(bx, by, "nn-bias"))
        nodes.append(text("1", bx, by + 5, "nn-symbol"))
        let caption: String
        if layer.biasShared, let symbol = symbols.bias(l, 0), let value = values.bias(l, 0) {
            caption = "\(symbol.text) = \(Math.format(value))"
        } else {
            caption = labelled(l) ? "bias" : "bias: \(layer.units) values"
        }
        nodes.append(text(caption + (layer.biasTrained ? "" : " (fixed)"), bx, by + Self.radius + 20, "nn-bias-caption"))
    }

    private func columnHeading(_ column: Int, into nodes: inout [String]) {
        let cx = x(column)
        let count = columnSizes[column]
        let collapsed = count > Self.maxShown ? ", 5 shown" : ""
        if column == 0 {
            nodes.append(text("inputs", cx, 56, "nn-heading"))
            nodes.append(text("\(count) input\(count == 1 ? "" : "s")\(collapsed)", cx, 73, "nn-note"))
            return
        }
        let layer = layers[column - 1]
        nodes.append(text(layer.name, cx, 56, "nn-heading"))
        nodes.append(text("\(layer.activation.rawValue), \(count) unit\(count == 1 ? "" : "s")\(collapsed)", cx, 73, "nn-note"))
        if !labelled(column - 1) {
            nodes.append(text("\(layer.units) \u{D7} \(layer.inputCount) weights", (x(column - 1) + cx) / 2, Self.top - 12, "nn-note"))
        }
    }

    private func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, _ classes: String) -> String {
        "<line class=\"\(classes)\" x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\"/>"
    }

    private func circle(_ cx: Int, _ cy: Int, _ classes: String) -> String {
        "<circle class=\"\(classes)\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(Self.radius)\"/>"
    }

    private func text(_ content: String, _ x: Int, _ y: Int, _ classes: String) -> String {
        "<text class=\"\(classes)\" x=\"\(x)\" y=\"\(y)\">\(MathTree.escaped(content))</text>"
    }

    /// A line's label, set just above the point so that the line does not run through the text.
    private func label(_ content: String, _ x: Int, _ y: Int) -> String { text(content, x, y - 5, "nn-label") }

    /// Dark on light; light on dark when the viewer prefers it on screen.
    static let style = """
        .nn-diagram text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; text-anchor: middle; fill: #1b1b1b; }
        .nn-background { fill: #ffffff; }
        .nn-edge { stroke: #8b929c; stroke-width: 1.3; }
        .nn-bias-edge { stroke-dasharray: 5 4; }
        .nn-unit { fill: #e8f1fb; stroke: #1b1b1b; stroke-width: 1.6; }
        .nn-bias { fill: #fff2b8; stroke: #1b1b1b; stroke-width: 1.6; }
        .nn-diagram .nn-title { font-size: 17px; font-weight: 600; }
        .nn-diagram .nn-heading { font-size: 15px; font-weight: 600; }
        .nn-diagram .nn-note { font-size: 12px; fill: #5a5a5a; }
        .nn-diagram .nn-symbol { font-size: 15px; font-style: italic; }
        .nn-diagram .nn-long { font-size: 10px; }
        .nn-diagram .nn-ellipsis { font-size: 26px; }
        .nn-diagram .nn-label { font-size: 13px; paint-order: stroke; stroke: #ffffff; stroke-width: 5px; stroke-linejoin: round; }
        .nn-diagram .nn-bias-caption { font-size: 13px; }
        @media screen and (prefers-color-scheme: dark) {
          .nn-diagram text { fill: #e8e8e8; }
          .nn-background { fill: #16181c; }
          .nn-edge { stroke: #6f7782; }
          .nn-unit { fill: #1f3550; stroke: #e8e8e8; }
          .nn-bias { fill: #574a12; stroke: #e8e8e8; }
          .nn-diagram .nn-note { fill: #a6a6a6; }
          .nn-diagram .nn-label { stroke: #16181c; }
        }
        """
}
