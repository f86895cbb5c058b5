/// Running chains of spatially local nodes band by band, so a big activation written by one node is
/// read by the next while it is still in cache.
///
/// **Rows.** A banded kernel's output 0 is an NHWC image `[1, H, W, C]`; its rows are axis 1
/// (pixel rows, top first). A kernel that can compute any range of its output rows, reading only a
/// prefix of each input's rows, conforms to `RowBandKernel`. Every output element it computes for a
/// band is made by the same code with the same summation order as in a whole run, so banded and
/// whole runs give the same bits.
///
/// **Segments.** At init the interpreter groups consecutive planned nodes whose kernels all band
/// (and whose outputs are big enough to pay) into segments, and builds a schedule: for each band of
/// the segment's last output it walks the segment backwards to find how many rows of each node's
/// output are needed (the "pull" scheme), then runs each node forward on the rows it is missing.
/// The memory plan keeps every value a segment reads or writes alive for the whole segment.

/// A kernel that can compute a range of its output rows on its own (see the file comment).
public protocol RowBandKernel: PreparedKernel {
    /// True when this prepared instance can run by rows: one output, rank 4, batch 1, and every
    /// computed element independent of which band computes it.
    var runsByRows: Bool { get }
    /// How many leading rows (axis 1) of input `input` the output rows `0..<rows` read (0 for
    /// `rows == 0`). An input read whole whatever the band (a per-channel vector, a constant) gives
    /// `RowBand.whole`; the caller clamps to the input's row count.
    func inputRows(_ input: Int, forOutputRows rows: Int) -> Int
    /// The lowest row of input `input` that output rows from `row` on read (0 for an input read
    /// whole). Lets a value consumed only by rows live in a ring of a few rows.
    func firstInputRow(_ input: Int, forOutputRow row: Int) -> Int
    /// True when `run(_:rows:)` writes exactly the rows asked for (not whole blocks around them).
    var writesOnlyItsRows: Bool { get }
    /// How many rows `run(_:rows:)` ranges over: output 0's rows (axis 1), or for a reduction over
    /// the image (a global pool) its input's rows, the output being complete after the last one.
    var bandHeight: Int { get }
    /// Writes output rows `rows` (it may also rewrite other rows, with the values a whole run gives
    /// them, unless `writesOnlyItsRows`), reading only input rows from
    /// `firstInputRow(i, forOutputRow: rows.lowerBound)` to below
    /// `inputRows(i, forOutputRows: rows.upperBound)`. Row `r` of a value is at `pointer + r·rowLength`
    /// (a value kept in a ring gets a pointer moved back so that its held rows land in the ring).
    func run(_ io: KernelIO, rows: Range<Int>)
}

extension RowBandKernel {
    public var writesOnlyItsRows: Bool { true }
    public var bandHeight: Int { outputShapes.first.map { $0.rank == 4 ? $0[1] : 0 } ?? 0 }
}

/// How the interpreter bands (`Interpreter.init(banding:)`).
public struct RowBanding: Sendable, Equatable {
    /// Nodes whose output holds fewer floats than this run whole (they gain nothing from banding).
    public var minimumFloats: Int
    /// Floats of all live tensor rows one band should touch (sets the band height; about half of
    /// a 1.25 MB L2).
    public var bandFloats: Int
    /// Fixed band height in rows of each segment's last output (tests); nil: from `bandFloats`.
    public var fixedRows: Int?

    /// A banding policy from its parts.
    public init(minimumFloats: Int, bandFloats: Int, fixedRows: Int? = nil) {
        self.minimumFloats = minimumFloats
        self.bandFloats = bandFloats
        self.fixedRows = fixedRows
    }

    /// Bands chains of nodes whose outputs are over ~200 KB, in bands of ~512 KB of live rows.
    public static let automatic = RowBanding(minimumFloats: 50_000, bandFloats: 131_072)
    /// Every node runs whole, in order.
    public static let off = RowBanding(minimumFloats: .max, bandFloats: 0)
    /// Bands every chain of banding kernels whatever its size, `rows` rows at a time (tests).
    public static func everywhere(rows: Int) -> RowBanding { RowBanding(minimumFloats: 0, bandFloats: 0, fixedRows: rows) }
}

/// Row arithmetic shared by the banded kernels.
public enum RowBand {
    /// "The whole input", for `RowBandKernel.inputRows` of inputs not read by rows.
    public static let whole = Int.max

    /// The first input row a window op reads for output rows from `row` on (see `windowRows`).
    public static func firstWindowRow(_ row: Int, inRows: Int, stride: Int, padTop: Int) -> Int {
        min(inRows, max(0, row * stride - padTop))
    }

    /// Input rows a window op (conv, pool) reads for output rows `0..<rows`: output row `oy` reads
    /// input rows `oy·stride − padTop + k·dilation` for `k < kernel`, clipped to `0..<inRows`.
    ///
    /// A 3×3 stride-2 pad-1 conv over 8 rows: output rows 0..<2 read rows up to 1·2 − 1 + 2 = 3, so 4.
    public static func windowRows(_ rows: Int, inRows: Int, kernel: Int, stride: Int, dilation: Int, padTop: Int) -> Int {
        guard rows > 0 else { return 0 }
        return min(inRows, max(0, (rows - 1) * stride - padTop + (kernel - 1) * dilation + 1))
    }

    /// The window geometry of output rows `rows` as an image of their own: the first input row it
    /// starts from (`shift`, the input pointer moves by that many rows), its input row count and its
    /// top padding. In-image taps and their order are those of the whole image, and so are the
    /// taps treated as outside (in the padding).
    public static func window(_ rows: Range<Int>, inRows: Int, kernel: Int, stride: Int, dilation: Int,
                              padTop: Int) -> (shift: Int, inRows: Int, padTop: Int) {
        let need = windowRows(rows.upperBound, inRows: inRows, kernel: kernel, stride: stride, dilation: dilation, padTop: padTop)
        let start = rows.lowerBound * stride - padTop
        if start <= 0 { return (0, need, -start) }
        if start >= need { return (0, 0, -start) }   // every tap of the band is below the image
        return (start, need - start, 0)
    }
}

/// One step of a banded schedule: planned node `node` whole (`rows` nil) or on a range of its
/// output rows, with the ring origin (first held row) of each ringed value it reads or writes; or,
/// with `node` −1, moving ring `value`'s rows `keep` (in ring rows from `drop`) to its start.
struct BandStep {
    var node: Int
    var rows: Range<Int>?
    var origins: [String: Int] = [:]
    var value = ""
    var drop = 0
    var keep = 0
}

/// Segments of consecutive banding nodes and the schedule that runs them.
struct BandPlan {
    /// Planned-node index ranges run band by band (for the memory plan).
    private(set) var segments: [Range<Int>] = []
    /// Every planned node once (whole) or as several bands, in an order that respects the data.
    private(set) var steps: [BandStep] = []
    /// Values kept in a ring of this many rows instead of whole (read only by rows inside their
    /// segment, not graph outputs).
    private(set) var ringRows: [String: Int] = [:]

    /// What the planner needs of each planned node.
    struct NodeInfo {
        /// The kernel when it bands (`runsByRows`), else nil.
        var kernel: (any RowBandKernel)?
        /// Input value names (empty: absent or constant) and output value names.
        var inputs: [String]
        var outputs: [String]
    }

    /// Groups `nodes` into segments and schedules them; `shapes` gives every value's shape, `keep`
    /// the values read after the graph runs.
    init(nodes: [NodeInfo], shapes: [String: Shape], keep: Set<String>, policy: RowBanding) {
        // A node bands when its kernel can and its output (a reduction's input) is big enough to pay.
        func banded(_ i: Int) -> Bool {
            guard let kernel = nodes[i].kernel, kernel.bandHeight > 0, nodes[i].outputs.count == 1,
                  let s = shapes[nodes[i].outputs[0]], s.rank == 4, s[0] == 1 else { return false }
            let reduced = kernel.bandHeight != s[1] ? nodes[i].inputs.first.flatMap { shapes[$0] } : nil
            return (reduced ?? s).elementCount >= policy.minimumFloats
        }
        var readers: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() { for name in n.inputs where !name.isEmpty { readers[name, default: []].append(i) } }
        var i = 0
        while i < nodes.count {
            var j = i
            while j < nodes.count && banded(j) { j += 1 }
            if j - i >= 2 {
                segments.append(i..<j)
                appendBands(i..<j, nodes, shapes, policy, rings: ringable(i..<j, nodes, readers, keep))
                i = j
            } else {
                steps.append(BandStep(node: i, rows: nil))
                i += 1
            }
        }
    }

    /// Outputs of a segment's nodes (not its last) that only nodes of the segment read, each by rows,
    /// written by kernels that write only their rows, and not kept: they can live in rings.
    private func ringable(_ seg: Range<Int>, _ nodes: [NodeInfo], _ readers: [String: [Int]], _ keep: Set<String>) -> Set<String> {
        var result = Set<String>()
        for k in seg.dropLast() {
            guard let kernel = nodes[k].kernel, kernel.writesOnlyItsRows else { continue }
            let name = nodes[k].outputs[0]
            guard !keep.contains(name), let rs = readers[name], !rs.isEmpty else { continue }
            let byRows = rs.allSatisfy { r in
                guard seg.contains(r), let c = nodes[r].kernel else { return false }
                return nodes[r].inputs.enumerated().allSatisfy { slot, input in
                    input != name || c.inputRows(slot, forOutputRows: 1) != RowBand.whole
                }
            }
            if byRows { result.insert(name) }
        }
        return result
    }
    /// The pull schedule of one segment (see the file comment).
    private mutating func appendBands(_ seg: Range<Int>, _ nodes: [NodeInfo], _ shapes: [String: Shape], _ policy: RowBanding,
                                      rings: Set<String>) {
        let count = seg.count
        let outs = seg.map { nodes[$0].outputs[0] }
        let height = seg.map { nodes[$0].kernel?.bandHeight ?? 0 }
        let index = Dictionary(outs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Consumers inside the segment of each node's output: (consumer, input slot).
        var consumers = [[(Int, Int)]](repeating: [], count: count)
        for (k, n) in seg.enumerated() {
            for (slot, name) in nodes[n].inputs.enumerated() where !name.isEmpty {
                if let p = index[name], p < k { consumers[p].append((k, slot)) }
            }
        }
        let lastH = height[count - 1]
        let band = Self.bandRows(seg, nodes, shapes, policy, lastH)
        var done = [Int](repeating: 0, count: count)
        var need = [Int](repeating: 0, count: count)
        // Ring origin of each ringed node output, and the rows its ring must hold.
        var origin = [Int](repeating: 0, count: count)
        var capacity = [Int](repeating: 1, count: count)
        var end = 0
        while end < lastH {
            end = min(lastH, end + band)
            for k in (0..<count).reversed() {
                var r: Int
                if end == lastH {
                    r = height[k]
                } else if k == count - 1 {
                    r = end
                } else if consumers[k].isEmpty {
                    r = (end * height[k] + lastH - 1) / lastH
                } else {
                    r = 0
                    for (c, slot) in consumers[k] {
                        guard let kernel = nodes[seg.lowerBound + c].kernel else { continue }
                        r = max(r, kernel.inputRows(slot, forOutputRows: need[c]))
                    }
                    // A reduction's output rows are not its band rows: any row read needs all of them.
                    if height[k] != shapes[outs[k]]?[1] && r > 0 { r = height[k] }
                }
                need[k] = min(max(r, done[k]), height[k])
            }
            for k in 0..<count where need[k] > done[k] {
                if rings.contains(outs[k]) {
                    // Drop the rows no reader will read again; move the rest to the ring's start.
                    var low = done[k]
                    for (c, slot) in consumers[k] {
                        guard let kernel = nodes[seg.lowerBound + c].kernel else { continue }
                        low = min(low, kernel.firstInputRow(slot, forOutputRow: done[c]))
                    }
                    low = max(low, origin[k])
                    if low > origin[k] {
                        steps.append(BandStep(node: -1, value: outs[k], drop: low - origin[k], keep: done[k] - low))
                        origin[k] = low
                    }
                    capacity[k] = max(capacity[k], need[k] - origin[k])
                }
                var step = BandStep(node: seg.lowerBound + k, rows: done[k]..<need[k])
                for name in nodes[seg.lowerBound + k].inputs + [outs[k]] where rings.contains(name) {
                    if let p = index[name] { step.origins[name] = origin[p] }
                }
                steps.append(step)
                done[k] = need[k]
            }
        }
        for k in 0..<count where rings.contains(outs[k]) { ringRows[outs[k]] = capacity[k] }
    }

    /// Band height in rows of the segment's last output: `fixedRows`, else so that one band's rows
    /// of every value the segment writes or reads by rows hold about `bandFloats` floats.
    private static func bandRows(_ seg: Range<Int>, _ nodes: [NodeInfo], _ shapes: [String: Shape],
                                 _ policy: RowBanding, _ lastH: Int) -> Int {
        if let fixed = policy.fixedRows { return max(1, fixed) }
        var names = Set<String>()
        for n in seg {
            names.formUnion(nodes[n].outputs)
            names.formUnion(nodes[n].inputs.filter { !$0.isEmpty })
        }
        // Floats per row of the last output, summed over values with rows (rank 4, batch 1).
        var perRow = 0.0
        for name in names {
            guard let s = shapes[name], s.rank == 4, s[0] == 1, s[1] > 1 else { continue }
            perRow += Double(s.elementCount) / Double(lastH)
        }
        guard perRow > 0 else { return lastH }
        return max(1, min(lastH, Int(Double(policy.bandFloats) / perRow)))
    }
}
