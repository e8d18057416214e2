/// A terminal in memory for tests: keeps the screen, records what each frame wrote, and
/// returns keys from a script.
public final class HeadlessTerminal: Terminal {
    /// Current size.
    public private(set) var size: Size
    /// What the screen shows now.
    public private(set) var screen: Buffer
    /// Cells written by the last `draw`.
    public private(set) var lastWrites: [CellChange] = []
    /// Number of `draw` calls.
    public private(set) var frames = 0
    /// Keys still to be returned, first first.
    public var script: [Key]
    /// Timeouts passed to `readKey`, in order.
    public private(set) var waits: [Int] = []
    /// Number of `restore` calls that did something (at most 1).
    public private(set) var restores = 0
    private var restored = false
    private var previous: Buffer?

    /// Creates a blank screen of `width`×`height` that will return `keys` in order.
    public init(width: Int, height: Int, keys: [Key] = []) {
        size = Size(width: width, height: height)
        screen = Buffer(width: width, height: height)
        script = keys
    }

    /// Applies the cells that changed since the last frame to `screen`.
    public func draw(_ buffer: Buffer) {
        FrameDiff.changes(from: previous, to: buffer, into: &lastWrites)
        if screen.width != buffer.width || screen.height != buffer.height {
            screen = Buffer(width: buffer.width, height: buffer.height)
        }
        for c in lastWrites { screen[c.x, c.y] = c.cell }
        previous = buffer
        frames += 1
    }

    /// The next scripted key (nil when the script is empty); records the timeout.
    public func readKey(timeoutMs: Int) -> Key? {
        waits.append(timeoutMs)
        guard !script.isEmpty else { return nil }
        let key = script.removeFirst()
        return key
    }

    /// Changes the size and queues `.resize`, as a real terminal would.
    public func resize(width: Int, height: Int) {
        size = Size(width: width, height: height)
        script.insert(.resize, at: 0)
    }

    /// Marks the terminal restored; later calls do nothing.
    public func restore() {
        guard !restored else { return }
        restored = true
        restores += 1
    }
}
