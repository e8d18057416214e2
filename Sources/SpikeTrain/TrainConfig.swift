// Training settings, validated once, with errors that name the field.

/// How the trainer uses the machine's cores.
public enum Parallelism: Equatable, Sendable {
    /// One graph for the whole batch; OpenBLAS runs its products on `threads` threads.
    case blas(threads: Int)
    /// The batch split in two halves run on two threads (OpenBLAS single-threaded), gradients
    /// summed. Networks with batch norm keep the batch whole (its statistics must see every
    /// sample) and split the rows of each convolution over the two threads instead.
    case splitBatch
}

/// What batch norm pools for its training statistics, per channel.
///
/// Inference normalises every step with one set of running statistics, so `time` (the default)
/// trains with what inference sees: one mean and variance over T·B·H·W, as SpikingJelly's
/// multi-step batch norm or tdBN. `step` normalises each step by its own B·H·W statistics, as a
/// PyTorch `BatchNorm2d` called once per step (snnTorch); the first step, whose input holds fewer
/// spikes, is then normalised differently in training than in inference.
public enum BatchNormStats: String, CaseIterable, Sendable {
    case time, step
}

/// Everything a training run needs besides the network and the data.
public struct TrainConfig: Equatable, Sendable {
    /// Passes over the training set.
    public var epochs: Int
    /// Samples per batch B.
    public var batchSize: Int
    /// Timesteps T per sample.
    public var timesteps: Int
    /// The loss (see `Loss.parse`).
    public var loss: Loss
    /// The update rule.
    public var optimizer: Optimizer
    /// Base learning rate.
    public var learningRate: Double
    /// How the learning rate changes.
    public var schedule: LRSchedule
    /// Weight decay (L2 for SGD/Adam, decoupled for AdamW); 0 = none.
    public var weightDecay: Double
    /// Global gradient-norm bound; nil = no clipping.
    public var clipNorm: Double?
    /// The spike derivative used backward.
    public var surrogate: Surrogate
    /// Treats the reset as a constant in backward (v = u − θ·sg(s)).
    public var detachReset: Bool
    /// Which values batch norm's training statistics pool (see `BatchNormStats`).
    public var batchNormStats: BatchNormStats
    /// Seeds the shuffles and the rate code.
    public var seed: UInt64
    /// Use of the cores.
    public var parallelism: Parallelism
    /// Trains on the first `trainLimit` samples only (nil = all).
    public var trainLimit: Int?
    /// Random affine warps of the training images (nil = none); needs a (C, H, W) sample shape.
    public var augmentation: Augmentation?
    /// Noise on soft-LIF activities while training (rate mode; nil = none).
    public var rateNoise: RateNoise?

    /// Creates a configuration; throws `TrainError` naming the first bad field.
    public init(epochs: Int = 1, batchSize: Int = 64, T: Int = 4, loss: Loss = Loss(terms: [.mean(weight: 1)]),
                optimizer: Optimizer = .adam(), lr: Double = 1e-3, schedule: LRSchedule = .constant,
                seed: UInt64 = 0, weightDecay: Double = 0, clipNorm: Double? = nil,
                surrogate: Surrogate = .atan(alpha: 2), detachReset: Bool = false,
                parallelism: Parallelism = .splitBatch, trainLimit: Int? = nil,
                augmentation: Augmentation? = nil, batchNormStats: BatchNormStats = .time,
                rateNoise: RateNoise? = nil) throws {
        self.epochs = epochs; self.batchSize = batchSize; self.timesteps = T
        self.loss = loss
        self.optimizer = optimizer; self.learningRate = lr; self.schedule = schedule; self.seed = seed
        self.weightDecay = weightDecay; self.clipNorm = clipNorm; self.surrogate = surrogate
        self.detachReset = detachReset; self.parallelism = parallelism; self.trainLimit = trainLimit
        self.augmentation = augmentation; self.batchNormStats = batchNormStats; self.rateNoise = rateNoise
        try validate()
    }

    /// Throws `TrainError.badValue` for the first field out of range.
    public func validate() throws {
        func bad(_ field: String, _ expected: String, _ found: Any) -> TrainError {
            .badValue(field: field, expected: expected, found: "\(found)")
        }
        guard epochs >= 1 else { throw bad("epochs", "at least 1", epochs) }
        guard batchSize >= 1 else { throw bad("batch_size", "at least 1", batchSize) }
        guard timesteps >= 1 else { throw bad("T", "at least 1", timesteps) }
        try loss.validate()
        guard learningRate.isFinite && learningRate > 0 else { throw bad("lr", "a positive finite number", learningRate) }
        guard weightDecay.isFinite && weightDecay >= 0 else { throw bad("weight_decay", "a finite number >= 0", weightDecay) }
        if let c = clipNorm, !(c.isFinite && c > 0) { throw bad("clip_norm", "a positive finite number", c) }
        if let p = surrogate.problem { throw TrainError.badValue(field: "surrogate", expected: "a positive finite parameter", found: p) }
        if let n = trainLimit, n < 1 { throw bad("train_limit", "at least 1", n) }
        switch optimizer {
        case let .sgd(m, _):
            guard m.isFinite && m >= 0 && m < 1 else { throw bad("momentum", "in [0, 1)", m) }
        case let .adam(b1, b2, eps), let .adamW(b1, b2, eps):
            guard b1 >= 0 && b1 < 1 else { throw bad("beta1", "in [0, 1)", b1) }
            guard b2 >= 0 && b2 < 1 else { throw bad("beta2", "in [0, 1)", b2) }
            guard eps.isFinite && eps > 0 else { throw bad("epsilon", "a positive finite number", eps) }
        }
        switch schedule {
        case .constant: break
        case .cosine(let m): guard m.isFinite && m >= 0 else { throw bad("lr_min", "a finite number >= 0", m) }
        case let .step(every, gamma):
            guard every >= 1 else { throw bad("step_every", "at least 1", every) }
            guard gamma.isFinite && gamma > 0 else { throw bad("step_gamma", "a positive finite number", gamma) }
        }
        if let a = augmentation {
            for (field, v) in [("augment_shift", a.shift), ("augment_rotation", a.rotation), ("augment_scale", a.scale)]
            where !(v.isFinite && v >= 0) { throw bad(field, "a finite number >= 0", v) }
            guard a.scale < 1 else { throw bad("augment_scale", "below 1", a.scale) }
        }
        if case .blas(let threads) = parallelism, threads < 1 { throw bad("threads", "at least 1", threads) }
    }
}
