//! Every string a visitor sees, in English, Arabic and Persian.
//!
//! Each locale is one exhaustive `match` over [`Text`], so adding a string
//! without translating it everywhere does not compile. Strings that carry a
//! value hold a named placeholder (`{name}`, `{n}`) that `locale.fill`
//! replaces; counted strings (the wait in minutes) have a form per plural
//! category. [`Locale`] and those rules are the client core's
//! (`client::locale`), shared with the dashboard.
//!
//! Numbers stay in ASCII digits in every locale: queue positions and times
//! are read by people and by tests alike, and Latin digits are common in
//! both Arabic and Persian web text.

use shared::ErrorCode;

use client::locale::Forms;
pub use client::locale::Locale;
use client::plural::Plural;

/// A user-visible string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Text {
    /// Launcher button label.
    OpenChat,
    /// Panel close button label.
    CloseChat,
    /// Header subtitle while no agent is assigned.
    ReplySoon,
    /// The same, where the site says its team usually replies in minutes.
    RepliesInMinutes,
    /// …in hours.
    RepliesInHours,
    /// …within a day.
    RepliesInADay,
    /// Header subtitle while nobody of the site is online.
    TeamAway,
    /// The line in the conversation that says what to do meanwhile.
    TeamAwayNotice,
    /// Header subtitle once assigned; `{name}` is the agent's name.
    ChattingWith,
    /// The greeting at the top of the conversation.
    Greeting,
    /// Composer placeholder.
    Placeholder,
    /// Send button label.
    Send,
    /// The emoji picker's button.
    Emoji,
    /// Shown under a message not yet acknowledged.
    Sending,
    /// Banner while the connection is down.
    Reconnecting,
    /// `{n}` is the 1-based position in the queue.
    QueuePosition,
    /// After the position: the estimated wait is under a minute.
    QueueWaitSoon,
    /// `{name}` is the agent's name.
    AgentJoined,
    /// `{name}` is the agent's name.
    AgentTyping,
    /// Shown while the conversation is resolved.
    Resolved,
    /// Under the visitor's message the agent has read.
    Seen,
    /// Under the visitor's message the agent's dashboard has received.
    Delivered,
    /// The visitor tried to send nothing.
    ErrEmpty,
    /// `{n}` is the longest allowed message, in characters.
    ErrTooLong,
    /// Rate limited; the widget retries by itself.
    ErrTooFast,
    /// The site key is unknown to the server.
    ErrSetup,
    /// The host page's origin is not allowed for the site.
    ErrOrigin,
    /// The server failed or its store is down; the widget keeps trying.
    ErrServer,
    /// Anything else.
    ErrGeneric,
    /// The site's queue is full: the message was not sent.
    ErrQueueFull,
    /// The console's preview: the sample agent's name.
    PreviewAgent,
    /// The console's preview: the sample visitor's question.
    PreviewQuestion,
    /// The console's preview: the sample answer.
    PreviewAnswer,
    /// Above the composer on sites with the typing preview.
    TypingPreviewNotice,
    /// The satisfaction survey's question, once the chat is resolved.
    SurveyQuestion,
    /// The survey's faces, worst to best (their accessible names).
    SurveyScore1,
    /// See [`Text::SurveyScore1`].
    SurveyScore2,
    /// See [`Text::SurveyScore1`].
    SurveyScore3,
    /// See [`Text::SurveyScore1`].
    SurveyScore4,
    /// See [`Text::SurveyScore1`].
    SurveyScore5,
    /// Placeholder of the survey's optional comment.
    SurveyComment,
    /// The survey's send button.
    SurveySend,
    /// Once the survey is answered.
    SurveyThanks,
    /// The Net Promoter question, on sites that ask it.
    SurveyNps,
    /// Under 0 on the Net Promoter scale.
    SurveyNpsLow,
    /// Under 10 on the Net Promoter scale.
    SurveyNpsHigh,
    /// The header's link that downloads the conversation.
    Transcript,
    /// The downloaded file's title; `{site}` is the site's name.
    TranscriptTitle,
    /// The visitor, as an author in the downloaded file.
    You,
    /// Header subtitle while the site is offline, with no time to promise.
    Offline,
    /// The same, when the team is back at a known time; `{when}` is the
    /// weekday and time, in the visitor's time zone.
    OfflineBack,
    /// The leave-a-message form's title.
    LeaveTitle,
    /// Under it: how the reply comes.
    LeaveHint,
    /// The form's name field (optional).
    YourName,
    /// The form's email field.
    YourEmail,
    /// The form's button.
    LeaveSend,
    /// Once the email is kept; `{email}` is the address.
    ContactKept,
    /// The address cannot receive mail.
    ErrEmail,
    /// The pre-chat form's title.
    PrechatTitle,
    /// The pre-chat form's name field.
    NameLabel,
    /// The pre-chat form's phone field.
    PhoneLabel,
    /// An unanswered choice.
    ChooseOne,
    /// The pre-chat form's button.
    StartChat,
    /// A required field left empty.
    FieldRequired,
    /// A phone number without its country code.
    ErrPhone,
    /// An answer too long or on several lines.
    ErrLine,
    /// While waiting: the offer of a call back.
    CallbackOffer,
    /// While the site is offline: the offer of a call back.
    CallbackOfferOffline,
    /// The offer's button.
    CallbackAsk,
    /// The callback form's title.
    CallbackTitle,
    /// Under it: what to give.
    CallbackHint,
    /// The form's time-of-day choice.
    CallbackWhen,
    /// Call as soon as someone is free.
    CallbackAsap,
    /// Call in the visitor's morning (9–12).
    CallbackMorning,
    /// Call in the visitor's afternoon (12–17).
    CallbackAfternoon,
    /// Call in the visitor's evening (17–20).
    CallbackEvening,
    /// The form's optional note.
    CallbackNote,
    /// The form's button.
    CallbackSend,
    /// Back from the form to the chat.
    CallbackBack,
    /// A request waits for an agent.
    CallbackRequested,
    /// An agent will call.
    CallbackClaimed,
    /// The call was made.
    CallbackDone,
    /// The agent could not reach the visitor.
    CallbackFailed,
    /// The visitor cancelled their request.
    CallbackCancelled,
    /// The button that cancels an open request.
    CallbackCancel,
    /// The site stopped offering callbacks.
    CallbacksOff,
    /// The header's button and the form's title: mail this conversation.
    MailTitle,
    /// Under the form's title.
    MailHint,
    /// The form's button.
    MailSend,
    /// Once on its way; `{email}` is the address.
    MailSent,
    /// The server sends no mail.
    ErrMailOff,
    /// The header's help button and the help view's title.
    Help,
    /// The help view's search box.
    HelpSearch,
    /// No article matches the search.
    HelpNothing,
    /// The help view's way out: write to the team instead.
    HelpAsk,
    /// Back from an article to the list.
    HelpBack,
    /// The article asked for is no longer there.
    HelpGone,
    /// Above the articles suggested while the first message is typed.
    Suggested,
    /// The button that hides the suggestions.
    SuggestedHide,
}

impl Text {
    /// Every string, for completeness tests.
    pub const ALL: &'static [Text] = &[
        Text::OpenChat,
        Text::CloseChat,
        Text::ReplySoon,
        Text::RepliesInMinutes,
        Text::RepliesInHours,
        Text::RepliesInADay,
        Text::TeamAway,
        Text::TeamAwayNotice,
        Text::ChattingWith,
        Text::Greeting,
        Text::Placeholder,
        Text::Send,
        Text::Emoji,
        Text::Sending,
        Text::Reconnecting,
        Text::QueuePosition,
        Text::QueueWaitSoon,
        Text::AgentJoined,
        Text::AgentTyping,
        Text::Resolved,
        Text::Seen,
        Text::Delivered,
        Text::ErrEmpty,
        Text::ErrTooLong,
        Text::ErrTooFast,
        Text::ErrSetup,
        Text::ErrOrigin,
        Text::ErrServer,
        Text::ErrGeneric,
        Text::ErrQueueFull,
        Text::PreviewAgent,
        Text::PreviewQuestion,
        Text::PreviewAnswer,
        Text::TypingPreviewNotice,
        Text::SurveyQuestion,
        Text::SurveyScore1,
        Text::SurveyScore2,
        Text::SurveyScore3,
        Text::SurveyScore4,
        Text::SurveyScore5,
        Text::SurveyComment,
        Text::SurveySend,
        Text::SurveyThanks,
        Text::SurveyNps,
        Text::SurveyNpsLow,
        Text::SurveyNpsHigh,
        Text::Transcript,
        Text::TranscriptTitle,
        Text::You,
        Text::Offline,
        Text::OfflineBack,
        Text::LeaveTitle,
        Text::LeaveHint,
        Text::YourName,
        Text::YourEmail,
        Text::LeaveSend,
        Text::ContactKept,
        Text::ErrEmail,
        Text::PrechatTitle,
        Text::NameLabel,
        Text::PhoneLabel,
        Text::ChooseOne,
        Text::StartChat,
        Text::FieldRequired,
        Text::ErrPhone,
        Text::ErrLine,
        Text::CallbackOffer,
        Text::CallbackOfferOffline,
        Text::CallbackAsk,
        Text::CallbackTitle,
        Text::CallbackHint,
        Text::CallbackWhen,
        Text::CallbackAsap,
        Text::CallbackMorning,
        Text::CallbackAfternoon,
        Text::CallbackEvening,
        Text::CallbackNote,
        Text::CallbackSend,
        Text::CallbackBack,
        Text::CallbackRequested,
        Text::CallbackClaimed,
        Text::CallbackDone,
        Text::CallbackFailed,
        Text::CallbackCancelled,
        Text::CallbackCancel,
        Text::CallbacksOff,
        Text::MailTitle,
        Text::MailHint,
        Text::MailSend,
        Text::MailSent,
        Text::ErrMailOff,
        Text::Help,
        Text::HelpSearch,
        Text::HelpNothing,
        Text::HelpAsk,
        Text::HelpBack,
        Text::HelpGone,
        Text::Suggested,
        Text::SuggestedHide,
    ];

    /// The string a visitor sees for a server error code. Exhaustive so a new
    /// code forces a decision here.
    pub fn for_error(code: ErrorCode) -> Text {
        use ErrorCode::*;
        match code {
            EmptyMessage => Text::ErrEmpty,
            MessageTooLong | FrameTooLarge => Text::ErrTooLong,
            RateLimited | TooManyAttempts | TooManyConnections => Text::ErrTooFast,
            QueueFull => Text::ErrQueueFull,
            InvalidEmail => Text::ErrEmail,
            InvalidPhone => Text::ErrPhone,
            CallbacksOff => Text::CallbacksOff,
            MailOff => Text::ErrMailOff,
            CallbackPending => Text::CallbackRequested,
            UnknownSite => Text::ErrSetup,
            OriginNotAllowed => Text::ErrOrigin,
            Internal | Unavailable => Text::ErrServer,
            MalformedFrame | UnknownFrame | BinaryNotSupported | HelloRequired | AlreadyGreeted
            | InvalidClientId | Unauthorized | Forbidden | NotFound | NotQueued | AtCapacity
            | ConversationResolved | InvalidCredentials | BadRequest | EmailTaken | LastAdmin
            | WrongPassword | MethodNotAllowed | NotAssigned | AgentUnavailable | NoSupervisor
            | TooManyNotes | NotResolved | IdentityInvalid | IdentityRequired | CallbackTaken
            | CallbackClosed | TooManyArticles => Text::ErrGeneric,
        }
    }
}

client::catalog!(Text: en, ar, fa);

/// "about 3 min" after the queue position, agreeing in number (Arabic:
/// دقيقة واحدة، دقيقتان، ٣ دقائق، ١١ دقيقة); numbers in ASCII digits, as
/// everywhere in the widget.
pub fn queue_wait(locale: Locale, minutes: u64) -> String {
    use Plural::*;
    let forms: Forms = match locale {
        Locale::En => &[(Other, "about {n} min")],
        Locale::Ar => &[
            (One, "الانتظار المتوقع: دقيقة واحدة تقريبًا"),
            (Two, "الانتظار المتوقع: دقيقتان تقريبًا"),
            (Few, "الانتظار المتوقع: {n} دقائق تقريبًا"),
            (Other, "الانتظار المتوقع: {n} دقيقة تقريبًا"),
        ],
        Locale::Fa => &[(Other, "حدود {n} دقیقه")],
    };
    locale.count(minutes, &minutes.to_string(), forms)
}

fn en(text: Text) -> &'static str {
    match text {
        Text::OpenChat => shared::locale::open_chat("en"),
        Text::CloseChat => "Close chat",
        Text::ReplySoon => "An agent will reply soon",
        Text::RepliesInMinutes => "Usually replies in a few minutes",
        Text::RepliesInHours => "Usually replies in a few hours",
        Text::RepliesInADay => "Usually replies within a day",
        Text::TeamAway => "We're away right now",
        Text::TeamAwayNotice => "Nobody is online right now. Leave a message and we'll reply here as soon as we're back.",
        Text::ChattingWith => "You're chatting with {name}",
        Text::Greeting => "Hi there! Ask us anything, we're happy to help.",
        Text::Placeholder => "Write a message…",
        Text::Send => "Send",
        Text::Emoji => "Emoji",
        Text::Sending => "Sending…",
        Text::Reconnecting => "Connection lost. Reconnecting…",
        Text::QueuePosition => "You are #{n} in the queue",
        Text::QueueWaitSoon => "less than a minute",
        Text::AgentJoined => "{name} joined the conversation",
        Text::AgentTyping => "{name} is typing…",
        Text::Resolved => {
            "This conversation has been closed. Need anything else? Just send a message."
        }
        Text::Seen => "Seen",
        Text::Delivered => "Delivered",
        Text::ErrEmpty => "Please write a message first.",
        Text::ErrTooLong => "This message is too long. The limit is {n} characters.",
        Text::ErrTooFast => "You're sending messages quickly. We'll send yours in a moment.",
        Text::ErrSetup => "This chat isn't set up correctly. Please try again later.",
        Text::ErrOrigin => "Chat isn't available on this website.",
        Text::ErrServer => "We're having trouble on our side. We'll keep trying.",
        Text::ErrGeneric => "Something went wrong. Please try again.",
        Text::ErrQueueFull => "Everyone is busy and the line is full right now. Your message was not sent; please try again in a few minutes.",
        Text::PreviewAgent => "Sara",
        Text::PreviewQuestion => "Hi! Do you ship to Oman?",
        Text::PreviewAnswer => "Yes, we do! Orders arrive in 3 to 5 days.",
        Text::TypingPreviewNotice => "Our team can see what you type before you send it.",
        Text::SurveyQuestion => "How was this chat?",
        Text::SurveyScore1 => "Very bad",
        Text::SurveyScore2 => "Bad",
        Text::SurveyScore3 => "Okay",
        Text::SurveyScore4 => "Good",
        Text::SurveyScore5 => "Great",
        Text::SurveyComment => "Anything to add? (optional)",
        Text::SurveySend => "Send rating",
        Text::SurveyThanks => "Thanks for your feedback!",
        Text::SurveyNps => "How likely are you to recommend us to a friend?",
        Text::SurveyNpsLow => "Not likely",
        Text::SurveyNpsHigh => "Very likely",
        Text::Transcript => "Download this conversation",
        Text::TranscriptTitle => "Conversation with {site}",
        Text::You => "You",
        Text::Offline => "We're offline right now",
        Text::OfflineBack => "We're offline · back {when}",
        Text::LeaveTitle => "Leave us a message",
        Text::LeaveHint => "We'll reply by email as soon as we're back.",
        Text::YourName => "Your name (optional)",
        Text::YourEmail => "Your email",
        Text::LeaveSend => "Send message",
        Text::ContactKept => "Thanks! We'll reply to {email} by email, and here if you come back.",
        Text::ErrEmail => "Please enter an email address such as name@example.com.",
        Text::PrechatTitle => "Before we start",
        Text::NameLabel => "Your name",
        Text::PhoneLabel => "Phone number",
        Text::ChooseOne => "Choose one…",
        Text::StartChat => "Start chat",
        Text::FieldRequired => "Please fill this in.",
        Text::ErrPhone => "Enter the number with its country code, such as +98 912 345 6789.",
        Text::ErrLine => "Keep it to one line of at most 200 characters.",
        Text::CallbackOffer => "Rather not wait? We can call you back.",
        Text::CallbackOfferOffline => "Prefer a phone call? We'll call you back when we're in.",
        Text::CallbackAsk => "Call me back",
        Text::CallbackTitle => "Ask us to call you back",
        Text::CallbackHint => "Your number with its country code, and when suits you.",
        Text::CallbackWhen => "When to call",
        Text::CallbackAsap => "As soon as possible",
        Text::CallbackMorning => "Morning (9:00–12:00)",
        Text::CallbackAfternoon => "Afternoon (12:00–17:00)",
        Text::CallbackEvening => "Evening (17:00–20:00)",
        Text::CallbackNote => "What is it about? (optional)",
        Text::CallbackSend => "Request a call",
        Text::CallbackBack => "Back to chat",
        Text::CallbackRequested => "Call back requested: we'll call you.",
        Text::CallbackClaimed => "One of our team will call you shortly.",
        Text::CallbackDone => "We called you. Thanks!",
        Text::CallbackFailed => "We couldn't reach you.",
        Text::CallbackCancelled => "You cancelled the call back.",
        Text::CallbackCancel => "Cancel the call",
        Text::CallbacksOff => "Call backs aren't available right now.",
        Text::MailTitle => "Email this conversation",
        Text::MailHint => "We'll send a copy of this chat to your inbox.",
        Text::MailSend => "Send it",
        Text::MailSent => "The conversation is on its way to {email}.",
        Text::ErrMailOff => "Sorry, we can't send email right now.",
        Text::Help => "Help",
        Text::HelpSearch => "Search for answers",
        Text::HelpNothing => "No article matches. Ask us instead: we're happy to help.",
        Text::HelpAsk => "Ask us",
        Text::HelpBack => "All articles",
        Text::HelpGone => "This article is no longer available.",
        Text::Suggested => "These might answer your question",
        Text::SuggestedHide => "Hide suggestions",
    }
}

fn ar(text: Text) -> &'static str {
    match text {
        Text::OpenChat => shared::locale::open_chat("ar"),
        Text::CloseChat => "أغلق المحادثة",
        Text::ReplySoon => "سيردّ عليك أحد فريقنا قريبًا",
        Text::RepliesInMinutes => "نردّ عادةً خلال دقائق",
        Text::RepliesInHours => "نردّ عادةً خلال ساعات",
        Text::RepliesInADay => "نردّ عادةً خلال يوم",
        Text::TeamAway => "لسنا متصلين الآن",
        Text::TeamAwayNotice => "لا أحد متصل الآن. اترك رسالتك وسنردّ عليك هنا فور عودتنا.",
        Text::ChattingWith => "تتحدث الآن مع {name}",
        Text::Greeting => "مرحبًا! اسألنا عن أي شيء، ويسعدنا أن نساعدك.",
        Text::Placeholder => "اكتب رسالتك…",
        Text::Send => "إرسال",
        Text::Emoji => "الرموز التعبيرية",
        Text::Sending => "جارٍ الإرسال…",
        Text::Reconnecting => "انقطع الاتصال. جارٍ إعادة الاتصال…",
        Text::QueuePosition => "ترتيبك في قائمة الانتظار: {n}",
        Text::QueueWaitSoon => "أقل من دقيقة",
        // Gender-neutral on purpose: a verb would need the agent's gender.
        Text::AgentJoined => "{name} معك الآن في المحادثة",
        Text::AgentTyping => "{name} بصدد الكتابة…",
        Text::Resolved => "أُغلقت هذه المحادثة. إن احتجت إلى أي شيء آخر، فأرسل رسالة جديدة.",
        Text::Seen => "شوهدت",
        Text::Delivered => "تم التسليم",
        Text::ErrEmpty => "اكتب رسالة أولًا.",
        Text::ErrTooLong => "الرسالة طويلة جدًا. الحد الأقصى {n} حرف.",
        Text::ErrTooFast => "ترسل الرسائل بسرعة كبيرة. سنرسل رسالتك بعد لحظات.",
        Text::ErrSetup => "لم تُضبط هذه المحادثة بشكل صحيح. حاول مرة أخرى لاحقًا.",
        Text::ErrOrigin => "المحادثة غير متاحة على هذا الموقع.",
        Text::ErrServer => "نواجه مشكلة من جهتنا، وسنواصل المحاولة.",
        Text::ErrGeneric => "حدث خطأ ما. حاول مرة أخرى.",
        Text::ErrQueueFull => {
            "الجميع مشغولون وقائمة الانتظار ممتلئة الآن. لم تُرسل رسالتك؛ يُرجى المحاولة بعد دقائق."
        }
        Text::PreviewAgent => "سارة",
        Text::PreviewQuestion => "مرحبًا! هل تشحنون إلى عُمان؟",
        Text::PreviewAnswer => "نعم بالتأكيد! تصل الطلبات خلال ٣ إلى ٥ أيام.",
        Text::TypingPreviewNotice => "يرى فريقنا ما تكتبه قبل أن ترسله.",
        Text::SurveyQuestion => "كيف كانت هذه المحادثة؟",
        Text::SurveyScore1 => "سيئة جدًا",
        Text::SurveyScore2 => "سيئة",
        Text::SurveyScore3 => "مقبولة",
        Text::SurveyScore4 => "جيدة",
        Text::SurveyScore5 => "ممتازة",
        Text::SurveyComment => "هل تود إضافة شيء؟ (اختياري)",
        Text::SurveySend => "أرسل التقييم",
        Text::SurveyThanks => "شكرًا على رأيك!",
        Text::SurveyNps => "ما مدى احتمال أن توصي بنا صديقًا؟",
        Text::SurveyNpsLow => "غير محتمل",
        Text::SurveyNpsHigh => "محتمل جدًا",
        Text::Transcript => "تنزيل هذه المحادثة",
        Text::TranscriptTitle => "محادثة مع {site}",
        Text::You => "أنت",
        Text::Offline => "نحن خارج أوقات العمل الآن",
        Text::OfflineBack => "خارج أوقات العمل · نعود {when}",
        Text::LeaveTitle => "اترك لنا رسالة",
        Text::LeaveHint => "سنردّ عليك بالبريد الإلكتروني فور عودتنا.",
        Text::YourName => "اسمك (اختياري)",
        Text::YourEmail => "بريدك الإلكتروني",
        Text::LeaveSend => "أرسل الرسالة",
        Text::ContactKept => "شكرًا! سنردّ عليك على {email} بالبريد الإلكتروني، وهنا إن عدت.",
        Text::ErrEmail => "أدخل بريدًا إلكترونيًا صحيحًا مثل name@example.com.",
        Text::PrechatTitle => "قبل أن نبدأ",
        Text::NameLabel => "اسمك",
        Text::PhoneLabel => "رقم الهاتف",
        Text::ChooseOne => "اختر واحدًا…",
        Text::StartChat => "ابدأ المحادثة",
        Text::FieldRequired => "يُرجى تعبئة هذا الحقل.",
        Text::ErrPhone => "أدخل الرقم مع رمز الدولة، مثل \u{2066}+968 9123 4567\u{2069}.",
        Text::ErrLine => "اكتبه في سطر واحد لا يتجاوز ٢٠٠ حرف.",
        Text::CallbackOffer => "لا تريد الانتظار؟ يمكننا الاتصال بك.",
        Text::CallbackOfferOffline => "تفضّل مكالمة هاتفية؟ سنتصل بك عند عودتنا.",
        Text::CallbackAsk => "اتصلوا بي",
        Text::CallbackTitle => "اطلب أن نتصل بك",
        Text::CallbackHint => "رقمك مع رمز الدولة، والوقت الذي يناسبك.",
        Text::CallbackWhen => "وقت الاتصال",
        Text::CallbackAsap => "في أقرب وقت ممكن",
        Text::CallbackMorning => "صباحًا (\u{2066}9:00–12:00\u{2069})",
        Text::CallbackAfternoon => "بعد الظهر (\u{2066}12:00–17:00\u{2069})",
        Text::CallbackEvening => "مساءً (\u{2066}17:00–20:00\u{2069})",
        Text::CallbackNote => "ما الموضوع؟ (اختياري)",
        Text::CallbackSend => "اطلب الاتصال",
        Text::CallbackBack => "العودة إلى المحادثة",
        Text::CallbackRequested => "تم طلب الاتصال: سنتصل بك.",
        Text::CallbackClaimed => "سيتصل بك أحد أعضاء فريقنا قريبًا.",
        Text::CallbackDone => "اتصلنا بك. شكرًا!",
        Text::CallbackFailed => "لم نتمكن من الوصول إليك.",
        Text::CallbackCancelled => "ألغيت طلب الاتصال.",
        Text::CallbackCancel => "إلغاء الاتصال",
        Text::CallbacksOff => "طلب الاتصال غير متاح الآن.",
        Text::MailTitle => "أرسل هذه المحادثة بالبريد",
        Text::MailHint => "سنرسل نسخة من هذه المحادثة إلى بريدك.",
        Text::MailSend => "أرسل",
        Text::MailSent => "المحادثة في طريقها إلى {email}.",
        Text::ErrMailOff => "عذرًا، لا يمكننا إرسال البريد الآن.",
        Text::Help => "المساعدة",
        Text::HelpSearch => "ابحث عن إجابة",
        Text::HelpNothing => "لا توجد مقالة مطابقة. اسألنا مباشرة، يسعدنا مساعدتك.",
        Text::HelpAsk => "اسألنا",
        Text::HelpBack => "كل المقالات",
        Text::HelpGone => "لم تعد هذه المقالة متاحة.",
        Text::Suggested => "قد تجيب هذه المقالات عن سؤالك",
        Text::SuggestedHide => "إخفاء الاقتراحات",
    }
}

fn fa(text: Text) -> &'static str {
    match text {
        Text::OpenChat => shared::locale::open_chat("fa"),
        Text::CloseChat => "بستن گفتگو",
        Text::ReplySoon => "به‌زودی یکی از همکاران ما پاسخ می‌دهد",
        Text::RepliesInMinutes => "معمولاً ظرف چند دقیقه پاسخ می‌دهیم",
        Text::RepliesInHours => "معمولاً ظرف چند ساعت پاسخ می‌دهیم",
        Text::RepliesInADay => "معمولاً ظرف یک روز پاسخ می‌دهیم",
        Text::TeamAway => "الان در دسترس نیستیم",
        Text::TeamAwayNotice => "الان کسی آنلاین نیست. پیام بگذارید؛ به محض بازگشت همین‌جا پاسخ می‌دهیم.",
        Text::ChattingWith => "در حال گفتگو با {name}",
        Text::Greeting => "سلام! هر سؤالی دارید بپرسید؛ با کمال میل کمکتان می‌کنیم.",
        Text::Placeholder => "پیامتان را بنویسید…",
        Text::Send => "ارسال",
        Text::Emoji => "شکلک‌ها",
        Text::Sending => "در حال ارسال…",
        Text::Reconnecting => "اتصال قطع شد. در حال اتصال دوباره…",
        Text::QueuePosition => "نوبت شما در صف: {n}",
        Text::QueueWaitSoon => "کمتر از یک دقیقه",
        Text::AgentJoined => "{name} به گفتگو پیوست",
        Text::AgentTyping => "{name} در حال نوشتن است…",
        Text::Resolved => "این گفتگو بسته شد. اگر کار دیگری دارید، کافی است پیام تازه‌ای بفرستید.",
        Text::Seen => "دیده شد",
        Text::Delivered => "تحویل شد",
        Text::ErrEmpty => "لطفاً اول پیامی بنویسید.",
        Text::ErrTooLong => "این پیام خیلی طولانی است. حداکثر {n} نویسه مجاز است.",
        Text::ErrTooFast => "پیام‌ها را خیلی سریع می‌فرستید. پیامتان چند لحظه دیگر ارسال می‌شود.",
        Text::ErrSetup => "این گفتگو درست راه‌اندازی نشده است. لطفاً بعداً دوباره امتحان کنید.",
        Text::ErrOrigin => "گفتگو در این وب‌سایت در دسترس نیست.",
        Text::ErrServer => "مشکلی در سمت ما پیش آمده است. همچنان تلاش می‌کنیم.",
        Text::ErrGeneric => "مشکلی پیش آمد. لطفاً دوباره امتحان کنید.",
        Text::ErrQueueFull => "همه مشغول‌اند و صف انتظار الان پر است. پیامتان فرستاده نشد؛ لطفاً چند دقیقهٔ دیگر دوباره امتحان کنید.",
        Text::PreviewAgent => "سارا",
        Text::PreviewQuestion => "سلام! به عمان هم ارسال دارید؟",
        Text::PreviewAnswer => "بله حتماً! سفارش‌ها ظرف ۳ تا ۵ روز می‌رسند.",
        Text::TypingPreviewNotice => "تیم ما آنچه را می‌نویسید پیش از ارسال می‌بیند.",
        Text::SurveyQuestion => "این گفتگو چطور بود؟",
        Text::SurveyScore1 => "خیلی بد",
        Text::SurveyScore2 => "بد",
        Text::SurveyScore3 => "معمولی",
        Text::SurveyScore4 => "خوب",
        Text::SurveyScore5 => "عالی",
        Text::SurveyComment => "چیزی برای افزودن دارید؟ (اختیاری)",
        Text::SurveySend => "ارسال امتیاز",
        Text::SurveyThanks => "از نظر شما سپاسگزاریم!",
        Text::SurveyNps => "چقدر احتمال دارد ما را به دوستی پیشنهاد کنید؟",
        Text::SurveyNpsLow => "بعید",
        Text::SurveyNpsHigh => "بسیار محتمل",
        Text::Transcript => "دریافت این گفتگو",
        Text::TranscriptTitle => "گفتگو با {site}",
        Text::You => "شما",
        Text::Offline => "الان خارج از ساعت کاری هستیم",
        Text::OfflineBack => "خارج از ساعت کاری · بازگشت {when}",
        Text::LeaveTitle => "برای ما پیام بگذارید",
        Text::LeaveHint => "به محض بازگشت، با ایمیل پاسختان را می‌دهیم.",
        Text::YourName => "نام شما (اختیاری)",
        Text::YourEmail => "ایمیل شما",
        Text::LeaveSend => "ارسال پیام",
        Text::ContactKept => "سپاس! پاسخ را به {email} ایمیل می‌کنیم، و اگر برگردید همین‌جا هم هست.",
        Text::ErrEmail => "یک ایمیل درست وارد کنید، مثل name@example.com.",
        Text::PrechatTitle => "پیش از شروع",
        Text::NameLabel => "نام شما",
        Text::PhoneLabel => "شمارهٔ تلفن",
        Text::ChooseOne => "یکی را انتخاب کنید…",
        Text::StartChat => "شروع گفتگو",
        Text::FieldRequired => "لطفاً این را پر کنید.",
        Text::ErrPhone => "شماره را با کد کشور وارد کنید، مثل \u{2066}+98 912 345 6789\u{2069}.",
        Text::ErrLine => "در یک خط و حداکثر ۲۰۰ نویسه بنویسید.",
        Text::CallbackOffer => "نمی‌خواهید منتظر بمانید؟ می‌توانیم با شما تماس بگیریم.",
        Text::CallbackOfferOffline => "تماس تلفنی را ترجیح می‌دهید؟ وقتی برگشتیم با شما تماس می‌گیریم.",
        Text::CallbackAsk => "با من تماس بگیرید",
        Text::CallbackTitle => "درخواست تماس تلفنی",
        Text::CallbackHint => "شماره‌تان با کد کشور، و زمانی که برایتان مناسب است.",
        Text::CallbackWhen => "زمان تماس",
        Text::CallbackAsap => "هر چه زودتر",
        Text::CallbackMorning => "صبح (\u{2066}9:00–12:00\u{2069})",
        Text::CallbackAfternoon => "بعدازظهر (\u{2066}12:00–17:00\u{2069})",
        Text::CallbackEvening => "عصر (\u{2066}17:00–20:00\u{2069})",
        Text::CallbackNote => "موضوع چیست؟ (اختیاری)",
        Text::CallbackSend => "درخواست تماس",
        Text::CallbackBack => "بازگشت به گفتگو",
        Text::CallbackRequested => "درخواست تماس ثبت شد: با شما تماس می‌گیریم.",
        Text::CallbackClaimed => "یکی از همکاران ما به‌زودی با شما تماس می‌گیرد.",
        Text::CallbackDone => "با شما تماس گرفتیم. سپاس!",
        Text::CallbackFailed => "نتوانستیم با شما تماس بگیریم.",
        Text::CallbackCancelled => "درخواست تماس را لغو کردید.",
        Text::CallbackCancel => "لغو تماس",
        Text::CallbacksOff => "درخواست تماس الان ممکن نیست.",
        Text::MailTitle => "ارسال این گفتگو با ایمیل",
        Text::MailHint => "یک نسخه از این گفتگو را به ایمیل شما می‌فرستیم.",
        Text::MailSend => "بفرست",
        Text::MailSent => "گفتگو به {email} فرستاده شد.",
        Text::ErrMailOff => "متأسفیم، الان نمی‌توانیم ایمیل بفرستیم.",
        Text::Help => "راهنما",
        Text::HelpSearch => "جستجوی پاسخ",
        Text::HelpNothing => "مقاله‌ای پیدا نشد. از ما بپرسید؛ با کمال میل کمک می‌کنیم.",
        Text::HelpAsk => "از ما بپرسید",
        Text::HelpBack => "همهٔ مقاله‌ها",
        Text::HelpGone => "این مقاله دیگر در دسترس نیست.",
        Text::Suggested => "شاید این مقاله‌ها پاسخ پرسش شما باشند",
        Text::SuggestedHide => "پنهان کردن پیشنهادها",
    }
}

/// `hh:mm` (24-hour, zero-padded) for message timestamps.
pub fn clock(hours: u32, minutes: u32) -> String {
    let mut out = String::with_capacity(5);
    for n in [hours % 24, minutes % 60] {
        if !out.is_empty() {
            out.push(':');
        }
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_string_with_matching_placeholders() {
        let problems = client::locale::catalog_problems(Text::ALL);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_error_code_has_a_text() {
        for &code in ErrorCode::ALL {
            for &locale in &Locale::ALL {
                assert!(!locale.text(Text::for_error(code)).is_empty());
            }
        }
        assert_eq!(Text::for_error(ErrorCode::RateLimited), Text::ErrTooFast);
        assert_eq!(Text::for_error(ErrorCode::Forbidden), Text::ErrGeneric);
    }

    #[test]
    fn fill_replaces_the_placeholder() {
        assert_eq!(
            Locale::En.fill(Text::QueuePosition, &[("n", "3")]),
            "You are #3 in the queue"
        );
        assert_eq!(
            Locale::Ar.fill(Text::AgentJoined, &[("name", "سارة")]),
            "سارة معك الآن في المحادثة"
        );
    }

    #[test]
    fn the_wait_in_minutes_agrees_in_number() {
        assert_eq!(queue_wait(Locale::En, 1), "about 1 min");
        assert_eq!(
            queue_wait(Locale::Ar, 1),
            "الانتظار المتوقع: دقيقة واحدة تقريبًا"
        );
        assert_eq!(queue_wait(Locale::Ar, 2), "الانتظار المتوقع: دقيقتان تقريبًا");
        assert_eq!(queue_wait(Locale::Ar, 3), "الانتظار المتوقع: 3 دقائق تقريبًا");
        assert_eq!(
            queue_wait(Locale::Ar, 11),
            "الانتظار المتوقع: 11 دقيقة تقريبًا"
        );
        assert_eq!(queue_wait(Locale::Fa, 4), "حدود 4 دقیقه");
    }

    #[test]
    fn clock_pads() {
        assert_eq!(clock(9, 5), "09:05");
        assert_eq!(clock(23, 59), "23:59");
        assert_eq!(clock(0, 0), "00:00");
    }
}
