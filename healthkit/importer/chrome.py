"""Page chrome: the lines a site puts around every article (menus, cookie banners, share
buttons, "Back to top"), which a copied page or a saved one still holds.

Only whole lines are matched, so an article sentence that happens to contain "share" or
"print" is never taken for chrome.
"""

from __future__ import annotations

import re

_LINES = (
    r"skip to (main )?content", r"(accept|reject|allow|manage) (all )?cookies?( settings)?", r"cookie (settings|preferences|policy)",
    r"we use cookies.*", r"this (site|website) uses cookies.*", r"share( this)?( page| article| story| on \w+)?(\s*:.*)?", r"print( this)?( page| article)?",
    r"e-?mail( this)?( page| article)?", r"back to top", r"(go )?to top", r"menu", r"close( menu)?", r"search( this site)?", r"home",
    r"sign (up|in)( to| for)?( our| the)?( free)?( \w+)? newsletters?.*", r"subscribe( now| today)?.*", r"newsletters?",
    r"get our (free )?newsletter.*", r"advertisement", r"ad(vert)?", r"sponsored( content)?", r"was this (page|article|information) helpful\??",
    r"(yes|no)", r"thank you for your feedback\.?", r"(give|leave|send) (us )?(your )?feedback", r"leave a comment", r"\d+ comments?",
    r"comments?", r"read more.*", r"see (more|all).*", r"show (more|less)", r"popular (articles|stories|posts)", r"trending( now)?",
    r"(©|\(c\)|copyright).*", r"all rights reserved\.?", r"privacy( policy| notice)?", r"terms (and|&) conditions", r"terms of (use|service)",
    r"accessibility( statement)?", r"contact us", r"about us", r"follow us.*", r"facebook|twitter|instagram|linkedin|pinterest|youtube|whatsapp|x",
    r"table of contents", r"contents", r"on this page", r"in this (article|page)", r"jump to.*", r"listen( to this article)?",
    r"(open|close) all( sections)?", r"next( page)?", r"previous( page)?", r"page \d+ of \d+", r"loading\W*", r"advert(isement)?s? ?\W*",
    r"request an appointment", r"get e-?mail updates", r"to receive e-?mail updates.*", r"sign up for (e-?mail )?updates.*",
    r"(.{0,60}\?\s+)?use (the|our) [\w ]{2,30} (checker|finder|builder|tool)\b.*", r"the [\w ]{2,30} (checker|finder|builder) (can|will) help.*", r"find a (doctor|gp|clinic|location).*", r"(download|view) (the )?(pdf|leaflet).*",
    r"(tweet|like|pin it|share on facebook)", r"\W*", r"edit", r"\[edit\]", r"hide", r"show",
    # bylines and review credits (their dates are read before chrome is dropped)
    r"(written |words |article )?by (?-i:[A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3})(,.{0,60})?", r"(also |medically |clinically )?reviewed by:? .{0,100}",
    r"updated by:? .{0,300}", r"(last )?(updated|reviewed|published|edited|issued|revised)( on)?:? .{0,40}\d{4}\.?", r"review date:? .{0,30}",
    r"author:? .{0,60}", r".*\b(uses only high-quality sources|editorial (process|policy|guidelines|standards))\b.*",
    r".*\btell us what you think\b.*", r"we welcome your (comments|feedback|suggestions).*",
    # what a leaflet prints around its text
    r"(patient|public) information( leaflet| sheet)?", r"information for (patients|parents|carers|families)", r"leaflet (number|no\.?|ref\.?|reference|code)\b.*",
    r"version:? ?\d.*", r"(tel|telephone|phone|fax|e-?mail|web|website)\s*:.*", r"continued overleaf.*", r"please turn over.*",
    r".{0,80}\b(large print|another language|other formats|easy read|braille|audio (version|recording))\b.{0,160}", r".*\bask at reception\b.*",
    r"(practice|patient) leaflet \d+.*", r".{0,60}\bopening (hours|times)\b.*", r"(←\s*)?back to (the )?(top|home|index|search results|previous page|all [\w ]{1,20}|[\w ]{1,30} a ?[–-] ?z)\b.*",
    r"(mon|tues|wednes|thurs|fri|satur|sun)days?\b.{0,40}:\s*(closed|open|\d{1,2}([.:]\d\d)?\s*(am|pm)).*",
    r"(owner|status|audience|tags|categories|language versions?|created|last edited( by)?|page properties):\s.*", r"internal note\b.*",
    r"related (pages|articles|links|topics|content|conditions|information|reading)\b.*", r".*\bdisclaims? (any|all) (warranty|liability)\b.*",
    r"(back to )?top of (the )?page", r"(unsubscribe|forward to a friend|update your preferences|view this email in your browser)\b.*",
    r"you are receiving this (email|message|newsletter)\b.*",
    r".{0,60}\b(produced|prepared|compiled) by (the |our )?[\w ,&'’-]{0,60}\b(team|service|department|unit|editors?|group|clinic|practice)\b.*",
    r"(prepared|produced|compiled|written|edited) by:? (?-i:[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3})(,.{0,60})?",
    r"last update:? .{0,40}\d{4}.*", r"edit this page.*", r"(previous|next|prev):\s.{1,60}", r"made with .{1,60}", r"posted in\b.{0,60}",
    r"\d{1,2} min(ute)?s?( read)?", r"printed\b.{0,30}", r"(ref|reference|doc ref|document ref|leaflet ref|our ref|code)\.?:?\s*[\w/.-]*\d[\w/.-]*",
    r"(https?://|www\.)\S+", r".{0,60}\bis a (smoke|no[- ]smoking)[- ]free (site|hospital|building)\b.*",
    r"[\w ,.'’-]{0,80}\b(?-i:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b", r".{3,80}\s{2,}\d{1,3}",
    r"donate\b.{0,80}", r"by", r".{0,80}\bregistered (pharmacy|charity|company|office|in england)\b.*", r"(shop|buy|browse|view all)( [\w&'’-]+){1,6}", r".{0,60}\bfact ?sheet",
    r"[\w'’ ]{0,40}\b(clinic|surgery|office|reception|helpline|hub|centre|center|line)s?\b[^.:]{0,20}:\s*(open\b|(mon|tues|wednes|thurs|fri|satur|sun)days?\b|weekdays\b|daily\b|\d{1,2}(:\d\d)?\s*(am|pm)\b).*", r".{0,80}\b(does|do|is) not (replace|a substitute for)\b.{0,120}", r".{0,60}\bgeneral (guidance|information) only\b.{0,80}", r"please (keep|retain) this (leaflet|sheet|handout|information).*",
 r"this leaflet is (for general information|intended|not a substitute).*", r"read (it )?online:?.*",
)
#: A line that is only an address to write or ring: chrome, unless it says when to ring.
_CONTACT = re.compile(r"^[^.?!]{0,40}(\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b|\+?\d[\d ()-]{8,}\d)[^.?!]{0,40}\.?$")
_WHEN = re.compile(r"\b(if|when|urgent\w*|emergency|immediately|straight away)\b", re.I)
_CHROME = re.compile(r"^[^\w(\[]*(?:" + "|".join(_LINES) + r")\s*$", re.I)


def is_chrome(text: str) -> bool:
    """Whether a whole line is page chrome, never article text."""
    if len(text) > 300:
        return False
    if _CHROME.match(text) or (_CONTACT.match(text) and not _WHEN.search(text)):
        return True
    parts = [p for p in re.split(r"[|·•›»]|\s{3,}", text) if p.strip()]
    if len(re.findall(r"[›»]", text)) >= 2 and all(len(p.split()) <= 4 for p in re.split(r"[›»]", text)):
        return True  # a breadcrumb: "MyHR › Benefits › Eye care voucher"
    if len(parts) >= 3 and any(_CONTACT.match(p.strip()) for p in parts):
        return True  # a footer of addresses: "The Clinic · 4410 Pier Road · Front desk (207) 555-0163"
    if len(parts) >= 4 and all(len(p.split()) <= 3 and not p.strip().endswith(".") for p in parts):
        return True  # a menu or a breadcrumb: "Beauty · Fashion · Wellness · Life"
    return len(parts) > 1 and all(_CHROME.match(p) or _CHROME.match(p.split("(")[0]) for p in parts)
