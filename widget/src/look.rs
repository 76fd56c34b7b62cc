//! How the widget looks on a site: the owner's settings
//! ([`shared::settings::Appearance`]) turned into what the components and
//! the stylesheet use — colours as CSS variables (a darker shade for
//! gradients and hover, and a text colour that stays readable on the
//! accent), the header's title and picture, the greeting and the side the
//! launcher sits on. Plain code, tested natively.

use shared::settings::{rgb, text_on, Appearance, Avatar, LauncherPosition, ReplyTime};

/// What the components draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    /// `#rrggbb`.
    pub accent: String,
    /// A darker shade of the accent.
    pub accent_dark: String,
    /// Text on the accent: white, or near-black on light accents.
    pub on_accent: &'static str,
    /// The header's title.
    pub title: String,
    /// The owner's greeting, if they wrote one.
    pub greeting: Option<String>,
    /// The header's picture, if an image.
    pub avatar_url: Option<String>,
    /// Where the launcher sits, after mirroring for right-to-left.
    pub side: LauncherPosition,
    /// How soon the team usually replies, if the owner says.
    pub reply_time: Option<ReplyTime>,
}

impl Look {
    /// The look of `appearance` on a site called `site_name`, in a widget
    /// whose language is right-to-left or not.
    pub fn new(appearance: &Appearance, site_name: &str, rtl: bool) -> Self {
        let accent = appearance.accent();
        let rgb = rgb(&accent);
        let title = appearance
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(site_name)
            .to_owned();
        Look {
            accent_dark: hex(shade(rgb, 0.72)),
            on_accent: text_on(&accent),
            accent,
            title,
            greeting: appearance
                .greeting
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_owned),
            avatar_url: match &appearance.avatar {
                Avatar::Image { url } if url.starts_with("https://") => Some(url.clone()),
                _ => None,
            },
            side: appearance.position.side(rtl),
            reply_time: appearance.reply_time,
        }
    }

    /// The CSS custom properties for the root element's `style`.
    pub fn css_vars(&self) -> String {
        format!(
            "--ahlan-accent:{};--ahlan-accent-dark:{};--ahlan-on-accent:{}",
            self.accent, self.accent_dark, self.on_accent
        )
    }

    /// The title's first letter, for the avatar.
    pub fn initial(&self) -> String {
        initial(&self.title)
    }
}

/// The first letter of a name, upper-cased where that means something.
pub fn initial(name: &str) -> String {
    name.trim()
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn shade(rgb: [u8; 3], factor: f64) -> [u8; 3] {
    rgb.map(|c| (f64::from(c) * factor).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::settings::DEFAULT_ACCENT;

    fn look(accent: &str) -> Look {
        let a = Appearance {
            accent_color: accent.into(),
            ..Appearance::default()
        };
        Look::new(&a, "Acme", false)
    }

    #[test]
    fn text_stays_readable_on_the_accent() {
        assert_eq!(look("#4f46e5").on_accent, "#ffffff");
        assert_eq!(look("#0f766e").on_accent, "#ffffff");
        assert_eq!(
            look("#fde047").on_accent,
            "#111827",
            "yellow needs dark text"
        );
        assert_eq!(look("#ffffff").on_accent, "#111827");
    }

    #[test]
    fn the_dark_shade_is_darker_and_bad_colours_fall_back() {
        assert_eq!(look("#64c8ff").accent_dark, "#4890b8");
        assert_eq!(look("red").accent, DEFAULT_ACCENT);
        assert!(look("#0F766E")
            .css_vars()
            .starts_with("--ahlan-accent:#0f766e;"));
    }

    #[test]
    fn title_greeting_avatar_and_side() {
        let a = Appearance {
            title: Some("  ".into()),
            greeting: Some(" Marhaba! ".into()),
            avatar: Avatar::Image {
                url: "https://cdn.example/a.png".into(),
            },
            position: LauncherPosition::Left,
            ..Appearance::default()
        };
        let l = Look::new(&a, "Acme", false);
        assert_eq!(l.title, "Acme", "a blank title shows the site's name");
        assert_eq!(l.greeting.as_deref(), Some("Marhaba!"));
        assert_eq!(l.avatar_url.as_deref(), Some("https://cdn.example/a.png"));
        assert_eq!(l.side, LauncherPosition::Left);
        assert_eq!(
            Look::new(&a, "Acme", true).side,
            LauncherPosition::Right,
            "mirrored"
        );
        let not_https = Appearance {
            avatar: Avatar::Image {
                url: "http://x/a.png".into(),
            },
            ..Appearance::default()
        };
        assert_eq!(Look::new(&not_https, "Acme", false).avatar_url, None);
        assert_eq!(l.reply_time, None);
        let hours = Appearance {
            reply_time: Some(ReplyTime::Hours),
            ..Appearance::default()
        };
        assert_eq!(
            Look::new(&hours, "Acme", true).reply_time,
            Some(ReplyTime::Hours)
        );
        assert_eq!(initial(" émile"), "É");
        assert_eq!(initial("سارا"), "س");
    }
}
