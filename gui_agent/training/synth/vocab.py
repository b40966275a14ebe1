"""The words and classes every renderer shares: one vocabulary, so a "Save" button or a
"Country" combo reads alike whichever toolkit drew it, and the class list is defined once."""

from __future__ import annotations

import random

CLASSES = (
    "button",
    "icon",
    "field",
    "checkbox",
    "radio",
    "toggle",
    "slider",
    "combo",
    "tab",
    "scrollbar",
)
SPLITS = ("train", "heldout")
GENERATOR_VERSION = 9


# ---------------------------------------------------------------------------------------------

_BUTTONS = (
    "OK", "Cancel", "Apply", "Save", "Close", "Delete", "Add", "Remove", "Edit", "Browse...",
    "Open", "Export", "Import", "Reset", "Help", "Submit", "Sign in", "Log out", "Connect",
    "Refresh", "Run", "Stop", "Start", "Next", "Back", "Finish", "Continue", "Retry", "Send",
    "Upload", "Download", "Print", "Preview", "Search", "Clear", "Copy", "Paste", "New",
    "Settings...", "Details", "Install", "Update", "Create account", "Save changes",
    "Discard", "Select all", "Load", "Test connection", "Add item", "Choose file...",
    "Restore defaults", "Generate", "Yes", "No", "Skip", "Done", "Share", "Rename",
)  # fmt: skip
_FIELD_LABELS = (
    "Name", "First name", "Last name", "Email", "Password", "Phone", "City", "Country",
    "Address", "Zip code", "Company", "Username", "Server", "Port", "Host", "Path",
    "Folder", "Title", "Description", "Tags", "Amount", "Quantity", "Price", "Width",
    "Height", "Timeout", "Retries", "Language", "Time zone", "Website", "Department",
    "Project", "Version", "Author", "Subject", "Proxy", "Database", "Output file",
    "Search", "Filter", "Label", "Category", "Priority", "Status", "Owner", "Date",
)  # fmt: skip
_CHECKS = (
    "Remember me", "Enable notifications", "Show hidden files", "Start at login",
    "Use proxy", "Auto-save every 5 minutes", "Send anonymous usage data",
    "Check for updates", "Word wrap", "Show line numbers", "Accept terms",
    "Subscribe to newsletter", "Open in new window", "Case sensitive", "Whole words only",
    "Include subfolders", "Keep original", "Overwrite existing files", "Compress output",
    "Show toolbar", "Show status bar", "Enable logging", "Use dark mode", "Sync over Wi-Fi",
    "Play sounds", "Confirm before deleting", "Read only", "Bold", "Italic", "Visible",
)  # fmt: skip
_RADIOS = (
    ("Basic", "Pro", "Enterprise"), ("Small", "Medium", "Large", "Extra large"),
    ("Daily", "Weekly", "Monthly"), ("Light", "Dark", "System"), ("Left", "Center", "Right"),
    ("PNG", "JPEG", "PDF", "SVG"), ("Portrait", "Landscape"), ("Fast", "Balanced", "Best"),
    ("Never", "Ask", "Always"), ("Ascending", "Descending"), ("All pages", "Current page"),
    ("Automatic", "Manual"), ("Yes", "No"), ("TCP", "UDP"), ("Low", "Normal", "High"),
)  # fmt: skip
_TABS = (
    "General", "Advanced", "Display", "Network", "Security", "About", "Details", "Preview",
    "History", "Output", "Console", "Files", "Options", "Account", "Privacy", "Sharing",
    "Appearance", "Keyboard", "Audio", "Video", "Layout", "Summary", "Logs", "Properties",
)  # fmt: skip
_HEADINGS = (
    "Account details", "Settings", "Preferences", "New project", "Connection", "Profile",
    "Export options", "Print", "Sign in", "Create an account", "Billing", "Notifications",
    "Network settings", "Appearance", "Search", "Filters", "Properties", "Overview",
    "Welcome", "Import data", "Backup", "Security", "Users", "Storage", "Shortcuts",
)  # fmt: skip
_MENUS = (
    "File", "Edit", "View", "Insert", "Format", "Tools", "Window", "Help", "Project", "Run",
    "Selection", "Go", "Image", "Layer", "Options", "Bookmarks", "History", "Build",
)  # fmt: skip
_WORDS = (
    "the", "file", "settings", "will", "be", "saved", "to", "your", "account", "when", "you",
    "click", "and", "changes", "are", "applied", "after", "restart", "this", "option",
    "controls", "how", "data", "is", "synced", "between", "devices", "select", "a", "folder",
    "for", "backups", "new", "items", "appear", "in", "list", "below", "use", "search",
    "field", "filter", "results", "by", "name", "or", "date", "project", "report", "server",
    "connection", "may", "take", "few", "minutes", "please", "wait", "while", "we", "check",
    "for", "updates", "all", "of", "documents", "shared", "with", "team", "can", "edit",
    "only", "owner", "delete", "them", "network", "proxy", "not", "required", "most", "users",
)  # fmt: skip
_NAMES = (
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
    "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter",
)  # fmt: skip
_SURNAMES = ("Smith", "Jones", "Garcia", "Müller", "Rossi", "Tanaka", "Dubois", "Novak", "Silva")
_COMBO_ITEMS = (
    ("Australia", "Brazil", "Canada", "France", "Germany", "India", "Japan", "United States"),
    ("English", "Deutsch", "Français", "Español", "Italiano", "Nederlands", "Português"),
    ("Small", "Medium", "Large"), ("UTF-8", "UTF-16", "ISO-8859-1", "ASCII"),
    ("Low", "Normal", "High", "Urgent"), ("Today", "Yesterday", "Last 7 days", "Last month"),
    ("100%", "75%", "50%", "150%", "200%"), ("Open", "In progress", "Closed", "Blocked"),
    ("Default", "Compact", "Comfortable"), ("A4", "Letter", "Legal", "A3"),
    ("All files (*)", "Images (*.png *.jpg)", "Text files (*.txt)"),
)  # fmt: skip
_PLACEHOLDERS = (
    "Search...", "Enter name", "you@example.com", "Optional", "Type here", "Filter",
    "https://", "0.00", "Required", "Search files", "Find in page",
)  # fmt: skip


def _words(rng: random.Random, lo: int, hi: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(lo, hi)))


def _sentence(rng: random.Random, lo: int = 5, hi: int = 14) -> str:
    text = _words(rng, lo, hi)
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, lo: int = 1, hi: int = 4) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(lo, hi)))


def _value_for(rng: random.Random, label: str) -> str:
    low = label.lower()
    first, last = rng.choice(_NAMES), rng.choice(_SURNAMES)
    if "email" in low:
        return f"{first.lower()}.{last.lower()}@example.com"
    if "name" in low or low in ("owner", "author"):
        return first if "first" in low else f"{first} {last}"
    if low in ("port", "retries", "quantity", "timeout", "width", "height"):
        return str(rng.randint(1, 9999))
    if low in ("price", "amount"):
        return f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}"
    if low in ("server", "host", "proxy", "website"):
        return rng.choice(("example.com", "10.0.0.12", "db.internal", "https://example.org"))
    if low in ("path", "folder", "output file"):
        return rng.choice(("/home/user/Documents", "C:\\Users\\me\\out.csv", "~/projects/app"))
    if low == "phone":
        return f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return _words(rng, 1, 3).capitalize()


def _list_item(rng: random.Random, style: int, i: int) -> str:
    if style == 0:
        return f"Item {i + 1}"
    if style == 1:
        ext = rng.choice(("txt", "png", "pdf", "csv", "py", "docx", "zip"))
        return f"{_words(rng, 1, 2).replace(' ', '_')}_{rng.randint(1, 99)}.{ext}"
    if style == 2:
        return f"{rng.choice(_NAMES)} {rng.choice(_SURNAMES)}"
    return _words(rng, 2, 6).capitalize()
