/// How many colours the terminal can show, after `Theme.adapted`.
public enum ColourDepth: Equatable, Sendable {
    /// No colour (NO_COLOR set, or a monochrome terminal): attributes only.
    case none
    /// The 8 basic colours (0-7), plus 8-15 when the terminal has 16.
    case basic
    /// The 256-colour palette.
    case palette256
}

/// Styles of the workbench's UI roles; widgets take their styles from here.
public struct Theme: Equatable, Sendable {
    /// Theme name ("dark", "light", "high-contrast", "colorblind", or a file's name).
    public var name: String
    /// True when designed for a dark background (decides how greys degrade).
    public var isDark: Bool
    /// Colours this theme uses; built-ins are `.palette256` until adapted.
    public var depth: ColourDepth = .palette256
    /// Plain text, de-emphasised text, pane titles.
    public var text: Style, dim: Style, title: Style
    /// Border of the focused pane, and of the others.
    public var focusBorder: Style, border: Style
    /// Axis lines and labels.
    public var axis: Style
    /// Spike dots and markers.
    public var spike: Style
    /// Membrane traces: exactly 4 series styles.
    public var membrane: [Style]
    /// Threshold line.
    public var threshold: Style
    /// Bars, and the highlighted bar (e.g. the predicted class).
    public var bar: Style, barHighlight: Style
    /// One style per class (cycled when there are more classes).
    public var classColours: [Style]
    /// ON and OFF events of event cameras.
    public var eventOn: Style, eventOff: Style
    /// Heat ramp, low to high (foreground colours); empty without colour.
    public var heatRamp: [Style]
    /// Status bar text, its key hints, and warnings.
    public var status: Style, statusKey: Style, warning: Style
    /// Selected rows, the current-step column.
    public var selection: Style
    /// The theme's own text and background colours, painted under every cell that leaves them
    /// to the terminal (a light theme on a dark terminal); plain = the terminal's own.
    public var canvas = Style()

    /// Creates a theme from every role.
    public init(name: String, isDark: Bool, text: Style, dim: Style, title: Style,
                focusBorder: Style, border: Style, axis: Style, spike: Style, membrane: [Style],
                threshold: Style, bar: Style, barHighlight: Style, classColours: [Style],
                eventOn: Style, eventOff: Style, heatRamp: [Style], status: Style,
                statusKey: Style, warning: Style, selection: Style) {
        (self.name, self.isDark, self.text, self.dim, self.title) = (name, isDark, text, dim, title)
        (self.focusBorder, self.border, self.axis, self.spike) = (focusBorder, border, axis, spike)
        self.membrane = (0..<4).map { membrane.isEmpty ? .plain : membrane[$0 % membrane.count] }
        (self.threshold, self.bar, self.barHighlight) = (threshold, bar, barHighlight)
        self.classColours = classColours.isEmpty ? [.plain] : classColours
        (self.eventOn, self.eventOff, self.heatRamp) = (eventOn, eventOff, heatRamp)
        (self.status, self.statusKey, self.warning, self.selection) = (status, statusKey, warning, selection)
    }

    /// The built-in themes, default first.
    public static let builtins: [Theme] = [.dark, .light, .highContrast, .colourBlindSafe]

    /// A built-in theme by name ("dark", "light", "high-contrast", "colorblind").
    public static func builtin(named name: String) -> Theme? {
        builtins.first { $0.name == name }
    }

    /// The style of class `index` (cycled).
    public func classColour(_ index: Int) -> Style {
        classColours[((index % classColours.count) + classColours.count) % classColours.count]
    }
}
