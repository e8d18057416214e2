// The workbench's training defaults; the jobs themselves live in SpikeTrain/Jobs.

import Foundation
import SpikeSession
import SpikeTrain

extension AppState {
    /// The settings `:train` and `T` use: for digits 30 epochs, batch 32, mean+etc, Adam lr 3e-3
    /// with a cosine schedule and augmentation; for other data 10 epochs, batch 128, mean, Adam
    /// lr 1e-3 cosine. T and seed are the session's.
    public static func defaultTrainConfig(for session: Session, epochs: Int?) throws -> TrainConfig {
        if session.data.source == .dataset(.digits) {
            return try TrainConfig(epochs: epochs ?? 30, batchSize: 32, T: session.timesteps, loss: Loss.parse("mean+etc"),
                                   optimizer: .adam(), lr: 3e-3, schedule: .cosine(), seed: session.seed,
                                   augmentation: Augmentation())
        }
        return try TrainConfig(epochs: epochs ?? 10, batchSize: 128, T: session.timesteps, loss: Loss.parse("mean"),
                               optimizer: .adam(), lr: 1e-3, schedule: .cosine(), seed: session.seed)
    }
}

/// `path` made absolute against the working folder and standardised.
func absolutePath(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
