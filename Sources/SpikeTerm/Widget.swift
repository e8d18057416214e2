/// Something that draws itself into a rectangle of a `Buffer`, touching no cell outside it.
public protocol Widget {
    /// Draws into `area` of `buffer`; must not write outside `area` (nor outside the buffer).
    func render(_ area: Rect, into buffer: inout Buffer)
}
