"""Screens for measuring text fidelity, drawn by Chromium, with the DOM as ground truth.

Four page kinds a desktop agent meets (an app window with menus, toolbar and form; a keypad
of one-character keys; a data table with tabs; prose with links and captions) under four
themes (browser defaults, a Bootstrap-like light theme, a dense dark theme, a large-type
theme). None of it comes from our training generator.
"""

from __future__ import annotations

THEMES: dict[str, str] = {
    "plain": "",
    "bootstrap": """
      body { font: 15px 'DejaVu Sans', sans-serif; color: #212529; background: #fff; }
      button { background: #0d6efd; color: #fff; border: 0; border-radius: 6px;
               padding: 6px 12px; font-size: 14px; }
      input, select { border: 1px solid #ced4da; border-radius: 6px; padding: 6px 10px;
                      font-size: 14px; }
      nav a, .side a { color: #0d6efd; text-decoration: none; }
      th { background: #f8f9fa; } td, th { border-bottom: 1px solid #dee2e6; padding: 6px 10px; }
    """,
    "dark_dense": """
      body { font: 12px 'DejaVu Sans', sans-serif; color: #d4d4d4; background: #1e1e1e; }
      button { background: #3c3c3c; color: #f0f0f0; border: 1px solid #555; padding: 2px 6px;
               font-size: 12px; }
      input, select { background: #2d2d2d; color: #e0e0e0; border: 1px solid #555;
                      padding: 2px 4px; font-size: 12px; }
      a { color: #4fc1ff; } td, th { padding: 2px 6px; border-bottom: 1px solid #333; }
      .menu span { color: #ccc; }
    """,
    "large": """
      body { font: 20px 'DejaVu Serif', serif; color: #111; background: #fdfbf5; }
      button { font-size: 20px; padding: 8px 16px; border: 2px solid #333; background: #eee; }
      input, select { font-size: 20px; padding: 6px; }
      td, th { padding: 8px 14px; }
    """,
}

_APP = """
<div class="menu" style="display:flex; gap:22px; padding:4px 10px; border-bottom:1px solid #8884">
  <span>File</span><span>Edit</span><span>View</span><span>Search</span><span>Tools</span>
  <span>Help</span></div>
<div style="display:flex; gap:6px; padding:6px 10px">
  <button>B</button><button>I</button><button>U</button><button>+</button><button>-</button>
  <button>OK</button><button>Go</button><button>Undo</button><button>Redo</button>
  <select><option>Normal text</option></select><select><option>100%</option></select></div>
<div style="display:flex">
 <div class="side" style="width:230px; padding:10px; display:flex; flex-direction:column; gap:10px">
  <a>Recent apps and items</a><a>Network &amp; internet</a><a>Bluetooth devices</a>
  <a>Personalisation</a><a>Accounts</a><a>Time &amp; language</a><a>Privacy &amp; security</a>
 </div>
 <div style="padding:10px; display:grid; grid-template-columns:160px 300px; gap:10px 14px">
  <label>Project name:</label><input value="Orion migration">
  <label>Owner</label><input value="Dana Whitfield">
  <label>Email address</label><input placeholder="name@example.com">
  <label>Select subject</label><select><option>Quarterly report</option></select>
  <label>Budget (EUR)</label><input value="12,450.00">
  <label>Start date</label><input value="2026-03-14">
  <div></div><div style="display:flex; gap:8px"><button>Save</button><button>Cancel</button>
   <button>Save for later</button></div>
 </div></div>
<div style="position:fixed; bottom:0; left:0; right:0; padding:3px 10px; font-size:11px;
  border-top:1px solid #8884">Ready &middot; 3 items selected &middot; Ln 12, Col 4 &middot;
  UTF-8</div>
"""

_KEYPAD = """
<div style="width:360px; margin:30px; padding:12px; border:1px solid #8886">
 <div style="text-align:right; font-size:28px; padding:8px; border:1px solid #8886">1234.5</div>
 <div style="display:grid; grid-template-columns:repeat(5, 1fr); gap:6px; margin-top:10px">
  <button>7</button><button>8</button><button>9</button><button>/</button><button>C</button>
  <button>4</button><button>5</button><button>6</button><button>*</button><button>CE</button>
  <button>1</button><button>2</button><button>3</button><button>-</button><button>%</button>
  <button>0</button><button>.</button><button>=</button><button>+</button><button>MR</button>
 </div></div>
"""

_TABLE = (
    """
<nav style="display:flex; gap:18px; padding:8px 12px; border-bottom:1px solid #8886">
 <a>Overview</a><a>Orders</a><a>Customers</a><a>Reports</a><a>Settings</a></nav>
<table style="margin:12px; border-collapse:collapse">
 <tr><th>Name</th><th>City</th><th>Amount</th><th>Due</th><th></th></tr>
"""
    + "".join(
        f"<tr><td>{n}</td><td>{c}</td><td>{a}</td><td>{d}</td><td><button>Edit</button></td></tr>"
        for n, c, a, d in (
            ("Alice Martin", "Lyon", "1,204.50", "12 Mar"),
            ("Bob Okafor", "Lagos", "88.00", "03 Apr"),
            ("Chen Wei", "Taipei", "15,990.75", "28 Feb"),
            ("Eve Lindqvist", "Uppsala", "402.10", "09 May"),
            ("Zoë Müller", "Bern", "7.25", "17 Jan"),
        )
    )
    + """
</table>
<div style="margin:12px">Showing 1 to 5 of 48 entries &nbsp; <button>Previous</button>
 <button>Next</button></div>
"""
)

_PROSE = """
<div style="max-width:760px; margin:24px">
 <h2>Release notes for version 4.2</h2>
 <p>This update improves sync reliability and fixes a crash when opening large files.
 Read the <a href="#">migration guide</a> before upgrading, or see
 <a href="#">known issues</a>.</p>
 <p>Faucibus libero massa nec, dictum turpis. Sed at <a href="#">massa</a> vel nunc
 tincidunt posuere in a lorem.</p>
 <p style="font-size:11px">Last updated 29 November 2026 at 6:29 PM by the release team.</p>
 <ul><li>Add to cart</li><li>Buy now</li><li>Compare with similar items</li></ul>
</div>
"""

KINDS: dict[str, str] = {"app": _APP, "keypad": _KEYPAD, "table": _TABLE, "prose": _PROSE}


def page(kind: str, theme: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        f"body {{ margin: 0; }} {THEMES[theme]}</style></head><body>{KINDS[kind]}</body></html>"
    )
