/// Where a dataset comes from: embedded digits, the Debian Fashion-MNIST package, or a folder.
public enum DataSource: Equatable, Sendable {
    /// scikit-learn's 8x8 digits, embedded in the module (see `DataLoader`).
    case digits
    /// Fashion-MNIST from `fashionMNISTFolder` (Debian package `dataset-fashion-mnist`).
    case fashionMNIST
    /// Any folder in MNIST layout: `train-`/`t10k-` `images-idx3-ubyte` and `labels-idx1-ubyte`,
    /// each raw or gzipped (optional `.gz` suffix).
    case folder(String)

    /// Folder where the Debian package `dataset-fashion-mnist` installs its files.
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

    /// Debian package that provides Fashion-MNIST.
    public static let fashionMNISTPackage = "dataset-fashion-mnist"

    /// Parses a user-facing name: "digits", "fashion-mnist" (also "fashion_mnist"), else a folder path.
    ///
    /// The two names are matched case-insensitively; write "./digits" for a folder called "digits".
    public init(name: String) {
        switch name.lowercased() {
        case "digits": self = .digits
        case "fashion-mnist", "fashion_mnist": self = .fashionMNIST
        default: self = .folder(name)
        }
    }

    /// The user-facing name: "digits", "fashion-mnist", or the folder path.
    public var name: String {
        switch self {
        case .digits: return "digits"
        case .fashionMNIST: return "fashion-mnist"
        case let .folder(path): return path
        }
    }
}

/// Loads datasets into memory.
///
/// - `.digits`: the embedded `Resources/digits.csv.gz`, scikit-learn's
///   `sklearn/datasets/data/digits.csv.gz` (the UCI "Optical Recognition of Handwritten Digits"
///   test set, optdigits.tes, by E. Alpaydin and C. Kaynak, CC BY 4.0): 1,797 rows of 64 pixel
///   counts 0...16 (an 8x8 image, row by row) followed by the label 0...9. Pixels are scaled by
///   1/16; shape [1, 8, 8]. Fixed split: the first 1,437 rows are `.train`, the last 360 rows
///   `.test`, in file order.
/// - `.fashionMNIST`, `.folder`: IDX files (see `IDX`), pixels scaled by 1/255, shape [1, H, W];
///   `.train` reads `train-*`, `.test` reads `t10k-*`. When both a raw and a `.gz` file exist,
///   the raw one is read. Gzip is recognised by its magic bytes, not by the name.
///
/// Ten classes in every case. Nothing is cached: each call reads the files again.
public enum DataLoader {
    /// Reads one split of `source` into memory, or throws a `DataError` naming the file and problem.
    public static func load(_ source: DataSource, split: Split) throws -> Dataset {
        switch source {
        case .digits:
            return try Digits.load(split: split)
        case .fashionMNIST:
            return try loadFolder(DataSource.fashionMNISTFolder, name: source.name, split: split,
                                  package: DataSource.fashionMNISTPackage)
        case let .folder(path):
            return try loadFolder(path, name: path, split: split, package: nil)
        }
    }

    /// Reads `prefix-images-idx3-ubyte[.gz]` and `prefix-labels-idx1-ubyte[.gz]` from `folder`.
    static func loadFolder(_ folder: String, name: String, split: Split, package: String?) throws
        -> Dataset
    {
        let prefix = split == .train ? "train" : "t10k"
        let imagesPath = try locate(folder, "\(prefix)-images-idx3-ubyte", package: package)
        let labelsPath = try locate(folder, "\(prefix)-labels-idx1-ubyte", package: package)
        let images = try IDX.readImages(path: imagesPath)
        let labels = try IDX.readLabels(path: labelsPath, classes: 10)
        guard images.count == labels.count else {
            throw DataError.countMismatch(images: imagesPath, imageCount: images.count,
                                          labels: labelsPath, labelCount: labels.count)
        }
        return Dataset(name: name, split: split, sampleShape: [1, images.height, images.width],
                       bytes: images.bytes, divisor: 255, labels: labels, classes: 10)
    }

    /// Path of `base` or `base.gz` in `folder` (raw first), or `fileMissing` naming `base[.gz]`.
    private static func locate(_ folder: String, _ base: String, package: String?) throws -> String {
        let stem = folder.hasSuffix("/") ? folder + base : folder + "/" + base
        for candidate in [stem, stem + ".gz"] where FileBytes.isRegularFile(candidate) {
            return candidate
        }
        throw DataError.fileMissing(file: stem + "[.gz]", package: package)
    }
}
