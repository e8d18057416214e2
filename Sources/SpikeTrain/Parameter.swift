// Learnable tensors of the trainer, mirrored from and back to SpikeCore's LayerParameters.
import SpikeCore

/// One learnable tensor with its gradient: "NAME.weight", "NAME.bias" or "NAME.recurrent_weight".
final class Param<S: TrainScalar> {
    let name: String
    let shape: [Int]
    let layer: Int
    let keyPath: WritableKeyPath<LayerParameters, [Float]>
    let value: Buf<S>     // shape as named
    let grad: Buf<S>      // same shape, accumulated by backward
    init(name: String, shape: [Int], layer: Int, keyPath: WritableKeyPath<LayerParameters, [Float]>, values: [Float]) {
        self.name = name; self.shape = shape; self.layer = layer; self.keyPath = keyPath
        value = Buf(values.count); grad = Buf(values.count)
        for k in values.indices { value.p[k] = S(values[k]) }
    }
    /// A parameter sharing `other`'s values with a gradient of its own (data-parallel halves).
    init(sharing other: Param<S>) {
        name = other.name; shape = other.shape; layer = other.layer; keyPath = other.keyPath
        value = other.value; grad = Buf(other.count)
    }
    var count: Int { value.count }
}

/// The parameters of one layer as the graph uses them (nil where the layer has none).
struct LayerParams<S: TrainScalar> {
    var weight: Param<S>?
    var bias: Param<S>?
    var recurrent: Param<S>?
    var runningMean: Buf<S>?     // (C) batch norm
    var runningVar: Buf<S>?      // (C) batch norm, unbiased
}
