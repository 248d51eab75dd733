"""Build the OpSour report PDFs served by the replay site.

Two reports, typeset like the originals (cover or title block, "ABOUT OPSOUR" front or back matter, running
headers, footers with page numbers, footnotes at the foot of the page, hyphenated ragged-right text):

* the English report of seed 004 (a markdown-ish conversion of an OpSour PDF), read from the path given on
  the command line, written to ``2021/11/cautious-optimism-moscow-taliban-nexus.pdf``;
* a short Turkish report written for the replay site (its text is in ``TURKISH_REPORT`` below), written to
  ``2023/03/taliban-yonetimi-ve-orta-asya-guvenligi.pdf``.

Fonts: DejaVu TrueType files are embedded so that Turkish letters (ğ, ı, ş, İ) survive text extraction. The
output is byte-for-byte reproducible (fixed creation dates). Needs fpdf2 (a dev dependency)::

    uv run python scripts/make_opsour_pdf.py [SEED_004] [--out-dir DIR] [--fonts-dir DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEED = REPO / "tests" / "fixtures" / "seeds" / "004_6f10304757a95b01.txt"
DEFAULT_OUT = REPO / "newsmon" / "devstack" / "replay" / "site" / "opsour.com" / "wp-content" / "uploads"
DEFAULT_FONTS = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "SANS": "DejaVuSans.ttf",
    "SANSB": "DejaVuSans-Bold.ttf",
}
ISTANBUL = timezone(timedelta(hours=3))

PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 25.0, 25.0, 27.0, 26.0
TEXT_W = PAGE_W - LEFT - RIGHT
BODY_SIZE, BODY_LEAD, PARA_GAP = 10.5, 5.4, 3.2
NOTE_SIZE, NOTE_LEAD = 7.5, 3.7

TURKISH_REPORT = """\
OpSour Research and Consulting

MART 2023

# TALİBAN YÖNETİMİ VE ORTA ASYA GÜVENLİĞİ: SINIR, DEAŞ-HORASAN VE RUSYA'NIN ROLÜ

*Elif Sena Karaca<sup>1</sup>*

## ÖZET

Bu rapor, Taliban'ın Ağustos 2021'de Kabil'de yeniden iktidara gelmesinin ardından Orta Asya cumhuriyetlerinin karşı karşıya kaldığı güvenlik risklerini, bu ülkelerin Taliban yönetimine farklı yaklaşımlarını ve Rusya'nın bölgedeki askeri ve diplomatik rolünü değerlendirmektedir.

## Giriş

Taliban'ın Kabil'de yeniden iktidarı ele geçirmesi, Afganistan'ın kuzey komşuları için yirmi yıl önce kapandığı düşünülen bir güvenlik dosyasını yeniden açmıştır. Tacikistan, Özbekistan ve Türkmenistan ile toplam uzunluğu 2.300 kilometreyi aşan bir sınıra sahip olan Afganistan, bugün hem terör örgütleri hem de uyuşturucu kaçakçılığı açısından bölgenin en kırılgan noktası olarak görülmektedir. Orta Asya başkentleri, bir yandan istikrarsızlığın kendi topraklarına taşınmasından çekinirken öte yandan Afganistan üzerinden Güney Asya pazarlarına ve limanlarına ulaşma fırsatını kaçırmak istememektedir.

## Sınır Güvenliği ve DEAŞ-Horasan Tehdidi

Bölge ülkelerinin en büyük kaygısı, DEAŞ'ın Afganistan kolu olan DEAŞ-Horasan'ın kuzey vilayetlerdeki faaliyetleridir. Örgüt, 2022 yılında Özbekistan'ın Termez kentine ve Tacikistan sınırına yönelik roket saldırıları düzenlediğini iddia etmiş; propaganda yayınlarında Özbekçe, Tacikçe ve Rusça içeriklere giderek daha fazla yer vermiştir. Bu durum, Orta Asya kökenli militanların örgüt saflarında daha görünür hâle geldiğini göstermektedir.

Taliban yönetimi, DEAŞ-Horasan'a karşı kapsamlı operasyonlar yürüttüğünü ve Afgan topraklarının komşu ülkelere karşı kullanılmasına izin vermeyeceğini vurgulamaktadır. Ancak Duşanbe ve Taşkent, Taliban saflarında yer alan bazı yabancı militan grupların kuzey sınır bölgelerine yerleştirildiğine dair haberlerden endişe duymaktadır.

## Tacikistan ve Özbekistan'ın Farklı Yaklaşımları

Tacikistan, Taliban'a karşı bölgenin en mesafeli ülkesidir. Duşanbe, Afganistan'daki Tacik nüfusun yönetimde temsil edilmemesini eleştirmiş ve kapsayıcı bir hükümetin kurulmasını ilişkilerin geliştirilmesi için bir ön koşul olarak dile getirmiştir. Buna karşılık Özbekistan, pragmatik bir çizgi izleyerek Taliban ile ticaret, enerji ve ulaştırma alanlarındaki iş birliğini sürdürmüştür. Termez'deki uluslararası ticaret merkezi ve Özbekistan'ı Pakistan limanlarına bağlaması planlanan Trans-Afgan demiryolu projesi, bu yaklaşımın somut göstergeleridir. Türkmenistan ise TAPI doğal gaz boru hattı projesini canlı tutmaya çalışmaktadır.

## Rusya'nın Rolü: KGAÖ ve 201. Askeri Üs

Rusya, Orta Asya'yı kendi güvenlik alanı olarak görmekte ve Afganistan kaynaklı tehditlere karşı Kolektif Güvenlik Antlaşması Örgütü (KGAÖ) mekanizmalarını ön plana çıkarmaktadır. Moskova, Tacikistan'daki 201. askeri üssünü güçlendirmiş, 2021 ve 2022 yıllarında Afgan sınırına yakın bölgelerde Tacikistan ve Özbekistan ile ortak tatbikatlar düzenlemiştir. Aynı zamanda Rusya, Moskova Formatı toplantıları aracılığıyla bölge ülkelerini ve Taliban temsilcilerini aynı masada buluşturarak diplomatik inisiyatifi elinde tutmaya çalışmaktadır.

Rusya'nın Afganistan Özel Temsilcisi Zamir Kabulov, Taliban'ın Rusya'daki terör örgütleri listesinden çıkarılmasının ancak BM Güvenlik Konseyi'nin yaptırım kararlarıyla uyumlu biçimde mümkün olacağını birçok kez ifade etmiştir. Bu temkinli tutum, Moskova'nın Taliban ile ilişkilerini geliştirirken Orta Asyalı müttefiklerinin kaygılarını da göz ardı etmek istemediğini göstermektedir.

## Uyuşturucu Kaçakçılığı

Taliban'ın Nisan 2022'de haşhaş ekimini yasaklaması<sup>2</sup>, bölgede ihtiyatlı bir iyimserlik yaratmıştır. Ancak Tacik-Afgan sınırındaki dağlık geçitler, eroin ve metamfetamin kaçakçılığı için hâlâ önemli güzergâhlardır; derinleşen ekonomik kriz ise yasağın uzun vadede uygulanabilirliğini sorgulatmaktadır.

## Sonuç ve Öneriler

1. Orta Asya ülkeleri, Taliban yönetimini resmen tanımadan, sınır güvenliği ve ticaret odaklı sınırlı bir iş birliğini sürdürecektir.

2. DEAŞ-Horasan'ın Orta Asya'ya yönelik propaganda ve eylem kapasitesi, bölgedeki en acil güvenlik tehdidi olmaya devam edecektir.

3. Rusya, KGAÖ ve ikili askeri anlaşmalar aracılığıyla bölgedeki askeri varlığını artırırken Taliban ile diplomatik temaslarını da sürdürecektir.

4. Türkiye, Orta Asya ülkeleriyle kurumsal bağları sayesinde sınır yönetimi ve kapasite geliştirme alanlarında tamamlayıcı bir rol üstlenebilir.

---

<sup>1</sup> Araştırmacı, OpSour Orta Asya Çalışmaları.

<sup>2</sup> Taliban lideri Hibetullah Ahundzade'nin 3 Nisan 2022 tarihli kararnamesi; kararname haşhaşın yanı sıra diğer uyuşturucu maddelerin üretimini ve ticaretini de yasaklamaktadır.

## OPSOUR HAKKINDA

OpSour, açık kaynak bilgileri uzmanlar aracılığıyla işleyerek öngörü sağlayan anlamlı raporlara dönüştürmeyi amaçlar. Her ülke, o ülkenin yerel uzmanı tarafından araştırılır.

## BÖLÜM HEDEFLERİ

OpSour Orta Asya Çalışmaları, Orta Asya ülkelerinin toplumu, siyaseti, dış politikası ve uluslararası ilişkileri üzerine makale, rapor ve araştırmalar yayımlar.

[www.opsour.com](http://www.opsour.com)

Ataköy Bedri Rahmi Eyüpoğlu Sokak No.75 Bakırköy – İstanbul

[info@opsour.com](mailto:info@opsour.com)

Bu raporda yer alan görüşler yazara aittir ve OpSour'un resmi politikasını veya tutumunu yansıtmaz.
"""


@dataclass
class Block:
    """One typeset unit: a heading, a paragraph, a byline (footnote markers inside ``text``)."""

    kind: str  # title heading1 heading2 heading3 para byline quote item
    text: str


@dataclass
class Report:
    title: str
    author: str
    lang: str
    created: datetime
    date_label: str
    series: str
    header_right: str
    cover_lines: list[str]
    front: list[Block]  # ABOUT OPSOUR etc.
    front_at_end: bool
    body: list[Block]
    footnotes: dict[str, str]
    footer: str  # "{page}" is replaced


# -- the markdown-ish source ------------------------------------------------------------------------------
_SUP = re.compile(r"<sup>(\d+)</sup>")
#: How a footnote marker travels inside block text until it is drawn as a superscript.
MARKER = re.compile("\x01(\\d+)\x02")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_ANGLE_URL = re.compile(r"<(https?://[^>]+)>")
_EMPHASIS = re.compile(r"\*{1,3}([^*]+?)\*{1,3}")
_ENDS_SENTENCE = re.compile(r"[.!?:;”\"’)]\s*$")


def plain(text: str) -> str:
    """Drop markdown syntax: links keep their label, emphasis its text; footnote markers become MARKERs."""
    text = _SUP.sub("\x01\\1\x02", text)
    text = _ANGLE_URL.sub(r"\1", _LINK.sub(r"\1", text))
    text = _EMPHASIS.sub(r"\1", text)
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def parse_markdown(source: str) -> tuple[list[Block], dict[str, str]]:
    """Blocks and footnotes of a seed text; paragraphs the PDF conversion split at page ends are rejoined."""
    blocks: list[Block] = []
    notes: dict[str, str] = {}
    pending_quote = ""
    for raw in re.split(r"\n\s*\n", source):
        chunk = raw.strip()
        if not chunk or chunk == "---":
            continue
        note = re.match(r"^<sup>(\d+)</sup>\s*(.+)$", chunk, re.DOTALL)
        if note:
            notes[note.group(1)] = plain(note.group(2))
            continue
        if chunk in ("“", "”", '"'):
            if chunk == "“":
                pending_quote = "“"
            elif blocks:
                blocks[-1].text += "”"
            continue
        heading = re.match(r"^(#{1,6})\s+(.+)$", chunk, re.DOTALL)
        text = plain(chunk if not heading else heading.group(2))
        if heading:
            blocks.append(Block(f"heading{min(len(heading.group(1)), 3)}", text))
        elif re.fullmatch(r"\*[^*].*\*|\*\*.+\*\*", chunk, re.DOTALL):
            after_title = bool(blocks) and blocks[-1].kind.startswith("heading") and MARKER.search(text)
            blocks.append(Block("byline" if after_title else "heading3", text))
        elif re.match(r"^\d+\.\s", text):
            blocks.append(Block("item", text))
        elif (
            blocks
            and blocks[-1].kind in ("para", "item", "quote")
            and len(blocks[-1].text) > 80
            and not _ENDS_SENTENCE.search(blocks[-1].text)
        ):
            blocks[-1].text += " " + text
        else:
            blocks.append(Block("quote" if pending_quote else "para", pending_quote + text))
            pending_quote = ""
    return blocks, notes


def _sections(blocks: list[Block], names: set[str]) -> tuple[list[Block], list[Block]]:
    """Split off the boilerplate sections: from a heading in ``names`` to the next body heading or the end."""
    front, body, in_front = [], [], False
    for block in blocks:
        if block.kind.startswith("heading"):
            in_front = block.text.upper() in names
        (front if in_front else body).append(block)
    return front, body


BOILERPLATE = {"ABOUT OPSOUR", "DEPARTMENT GOALS", "OPSOUR HAKKINDA", "BÖLÜM HEDEFLERİ"}


def seed_report(seed: Path) -> Report:
    """The English report of seed 004: cover, front matter page, then abstract and article."""
    text = seed.read_text(encoding="utf-8")
    head, sep, rest = text.partition("# ABSTRACT")
    if not sep:
        sys.exit(f"error: {seed} does not look like seed 004 (no '# ABSTRACT' heading); pass the right file")
    cover_part, _, front_part = head.partition("## ABOUT OPSOUR")
    cover = [plain(line.lstrip("# ")) for line in cover_part.splitlines() if plain(line.lstrip("# "))]
    date_label = next(line for line in cover if re.fullmatch(r"[A-Z]+ \d{4}", line))
    cover_title = next(plain(line[2:]) for line in cover_part.splitlines() if line.startswith("# "))
    series = " ".join(line for line in cover if "Series" in line or line.startswith("No."))
    others = [
        c
        for c in cover
        if c not in (date_label, cover_title) and "Series" not in c and not c.startswith("No.")
    ]
    front, _ = _sections(parse_markdown("## ABOUT OPSOUR" + front_part)[0], BOILERPLATE)
    blocks, notes = parse_markdown(sep + rest)
    title = next(b.text for b in blocks if b.kind == "heading2")
    author = MARKER.sub("", next(b.text for b in blocks if b.kind == "byline"))
    return Report(
        title=title,
        author=author,
        lang="en",
        created=datetime(2021, 11, 22, 10, 30, tzinfo=ISTANBUL),
        date_label=date_label,
        series=series,
        header_right=date_label.title(),
        cover_lines=[date_label, cover_title, *others, series],
        front=front,
        front_at_end=False,
        body=blocks,
        footnotes=notes,
        footer="www.opsour.com\t{page}",
    )


def turkish_report() -> Report:
    """The Turkish report: a title block on page 1 and the OpSour boilerplate on the last page."""
    blocks, notes = parse_markdown(TURKISH_REPORT)
    front, body = _sections(blocks, BOILERPLATE)
    heading = next(b for b in body if b.kind == "heading1")
    heading.kind = "title"
    title = "Taliban Yönetimi ve Orta Asya Güvenliği: Sınır, DEAŞ-Horasan ve Rusya'nın Rolü"
    return Report(
        title=title,
        author="Elif Sena Karaca",
        lang="tr",
        created=datetime(2023, 3, 14, 9, 0, tzinfo=ISTANBUL),
        date_label="MART 2023",
        series="OpSour Orta Asya Çalışmaları Serisi No.2",
        header_right="Mart 2023",
        cover_lines=[],
        front=front,
        front_at_end=True,
        body=body[body.index(heading) :],
        footnotes=notes,
        footer="Sayfa {page} / {pages}",
    )


# -- typesetting -------------------------------------------------------------------------------------------
_VOWELS = set("aeiouAEIOUâîûıİöüÖÜéÉ")
_DIGRAPHS = {"ch", "sh", "th", "ph", "gh", "ck", "wh", "qu"}
_HYPHENATABLE = re.compile(r"^[^\W\d_]{7,}[.,;:]?$")


def _split_points(word: str) -> list[int]:
    """Where ``word`` may be hyphenated (V-CV or VC-CV, as Turkish syllables go), 3+ letters on each side."""
    core = word.rstrip(".,;:")
    points = []
    for i in range(3, len(core) - 2):
        before, here, after = core[i - 1], core[i], core[i + 1]
        if here in _VOWELS or after not in _VOWELS:
            continue
        if before in _VOWELS or (before + here).lower() not in _DIGRAPHS:
            points.append(i)
    return points


class Typesetter:
    """Places lines on pages by hand (fpdf2 only draws): hyphenation and footnotes are under our control."""

    def __init__(self, report: Report, fonts_dir: Path, page_count: int = 0):
        from fpdf import FPDF

        self.report = report
        self.page_count = page_count  # for "page n of m" footers: known after a first pass
        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(LEFT, TOP, RIGHT)
        for style, name in FONT_FILES.items():
            family, st = ("Sans", style.replace("SANS", "")) if style.startswith("SANS") else ("Serif", style)
            self.pdf.add_font(family, st, str(fonts_dir / name))
        self.pages: list[dict] = []
        self.y = 0.0
        self.page_notes: list[str] = []

    # pages
    def new_page(self, running: bool = True) -> None:
        self.pdf.add_page()
        self.pages.append({"running": running, "notes": []})
        self.y = TOP + 4 if running else TOP
        self.page_notes = self.pages[-1]["notes"]
        if running:
            self.running_head()

    def notes_height(self, numbers: list[str]) -> float:
        if not numbers:
            return 0.0
        self.pdf.set_font("Serif", "", NOTE_SIZE)
        lines = sum(
            len(self.wrap(f"{n} {self.report.footnotes[n]}", TEXT_W, hyphenate=False)) for n in numbers
        )
        return 4.0 + lines * NOTE_LEAD

    def room(self, extra_notes: list[str] = ()) -> float:
        limit = (
            PAGE_H
            - BOTTOM
            - self.notes_height(self.page_notes + [n for n in extra_notes if n not in self.page_notes])
        )
        return limit - self.y

    # lines
    def measure(self, text: str) -> float:
        """Width of ``text`` in the current font, footnote markers counted at superscript size."""
        size = self.pdf.font_size_pt
        width = self.pdf.get_string_width(MARKER.sub("", text))
        digits = "".join(MARKER.findall(text))
        if digits:
            self.pdf.set_font_size(size * 0.6)
            width += self.pdf.get_string_width(digits) + 0.3
            self.pdf.set_font_size(size)
        return width

    def wrap(self, text: str, width: float, hyphenate: bool = True) -> list[str]:
        lines, line = [], ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if self.measure(candidate) <= width:
                line = candidate
                continue
            if hyphenate and line and _HYPHENATABLE.match(word):
                fits = [i for i in _split_points(word) if self.measure(f"{line} {word[:i]}-") <= width]
                if fits:
                    lines.append(f"{line} {word[: fits[-1]]}-")
                    line = word[fits[-1] :]
                    continue
            if line:
                lines.append(line)
            while self.measure(word) > width:  # an unbreakable run (a URL): cut it where it overflows
                cut = max(i for i in range(1, len(word)) if self.measure(word[:i]) <= width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
        return lines

    def draw_line(self, x: float, baseline: float, line: str) -> None:
        """Draw one line; footnote markers go up as small superscripts and are noted for this page."""
        pdf = self.pdf
        size = pdf.font_size_pt
        for i, part in enumerate(MARKER.split(line)):
            if not part:
                continue
            if i % 2:
                pdf.set_font_size(size * 0.6)
                pdf.text(x + 0.2, baseline - size * 0.13, part)
                x += pdf.get_string_width(part) + 0.3
                pdf.set_font_size(size)
                if part not in self.page_notes:
                    self.page_notes.append(part)
            else:
                pdf.text(x, baseline, part)
                x += pdf.get_string_width(part)

    def block(
        self,
        text: str,
        style: str,
        size: float,
        lead: float,
        gap_before: float = 0.0,
        gap_after: float = PARA_GAP,
        hyphenate: bool = True,
        family: str = "Serif",
        keep: int = 2,
    ) -> None:
        self.pdf.set_font(family, style, size)
        lines = self.wrap(text, TEXT_W, hyphenate=hyphenate)
        if self.y > TOP + 5:
            self.y += gap_before
        if self.room(MARKER.findall(" ".join(lines[:keep]))) < min(keep, len(lines)) * lead:
            self.finish_page()
            self.new_page()
        for line in lines:
            if self.room(MARKER.findall(line)) < lead:
                self.finish_page()
                self.new_page()
            self.pdf.set_font(family, style, size)
            self.draw_line(LEFT, self.y + lead * 0.75, line)
            self.y += lead
        self.y += gap_after

    def finish_page(self) -> None:
        pdf, page = self.pdf, self.pages[-1]
        if page["running"]:
            self.running_foot()
        if page["notes"]:
            top = PAGE_H - BOTTOM - self.notes_height(page["notes"]) + 1.5
            pdf.set_draw_color(120, 120, 120)
            pdf.line(LEFT, top, LEFT + 50, top)
            y = top + 2.5
            pdf.set_font("Serif", "", NOTE_SIZE)
            for n in page["notes"]:
                for line in self.wrap(f"{n} {self.report.footnotes[n]}", TEXT_W, hyphenate=False):
                    pdf.text(LEFT, y + NOTE_LEAD * 0.75, line)
                    y += NOTE_LEAD

    def running_head(self) -> None:
        pdf = self.pdf
        pdf.set_font("Sans", "", 7.5)
        pdf.set_text_color(110, 110, 110)
        pdf.text(LEFT, 15, self.report.series)
        pdf.text(
            PAGE_W - RIGHT - pdf.get_string_width(self.report.header_right), 15, self.report.header_right
        )
        pdf.set_draw_color(180, 180, 180)
        pdf.line(LEFT, 17, PAGE_W - RIGHT, 17)
        pdf.set_text_color(0, 0, 0)

    def running_foot(self) -> None:
        pdf = self.pdf
        pdf.set_font("Sans", "", 7.5)
        pdf.set_text_color(110, 110, 110)
        left, _, right = self.report.footer.format(page=len(self.pages), pages=self.page_count).partition(
            "\t"
        )
        if right:
            pdf.text(LEFT, PAGE_H - 13, left)
            pdf.text(PAGE_W - RIGHT - pdf.get_string_width(right), PAGE_H - 13, right)
        else:
            pdf.text((PAGE_W - pdf.get_string_width(left)) / 2, PAGE_H - 13, left)
        pdf.set_text_color(0, 0, 0)

    # whole report
    def cover(self) -> None:
        self.new_page(running=False)
        pdf, r = self.pdf, self.report
        pdf.set_font("Sans", "B", 11)
        pdf.text(LEFT, 60, r.cover_lines[0])
        self.y = 70
        self.block(r.cover_lines[1], "B", 24, 10.5, family="Sans", hyphenate=False)
        self.y += 20
        for line in r.cover_lines[2:]:
            self.block(line, "", 12, 6, family="Sans", hyphenate=False)

    def front_matter(self) -> None:
        if self.pages and not self.report.front_at_end:
            self.finish_page()
        self.new_page(running=self.report.front_at_end)
        for b in self.report.front:
            if b.kind.startswith("heading"):
                self.block(b.text, "B", 12, 6, family="Sans", gap_before=4, gap_after=2, hyphenate=False)
            else:
                self.block(b.text, "", 10, 5, family="Sans", hyphenate=False)

    def body(self) -> None:
        r = self.report
        if not r.cover_lines:
            self.new_page()
            for line in ("OpSour Research and Consulting", r.date_label):
                self.block(line, "", 9, 4.5, family="Sans", gap_after=1, hyphenate=False)
            self.y += 4
        else:
            self.finish_page()
            self.new_page()
        for b in r.body:
            if b.kind == "title":
                self.block(b.text, "B", 17, 7.5, family="Sans", gap_after=4, hyphenate=False)
                self.block(r.series, "", 10, 5, family="Sans", gap_after=3, hyphenate=False)
            elif b.kind in ("heading1", "heading2"):
                self.block(b.text, "B", 14, 6.5, family="Sans", gap_before=5, gap_after=2.5, hyphenate=False)
            elif b.kind == "heading3":
                self.block(
                    b.text, "B", 11.5, 5.8, family="Sans", gap_before=3.5, gap_after=2, hyphenate=False
                )
            elif b.kind == "byline":
                self.block(b.text, "I", 11, 5.5, gap_after=5, hyphenate=False)
            else:
                self.block(b.text, "I" if b.kind == "quote" else "", BODY_SIZE, BODY_LEAD)
        self.finish_page()

    def build(self) -> bytes:
        r, pdf = self.report, self.pdf
        pdf.set_title(r.title)
        pdf.set_author(r.author)
        pdf.set_subject(r.series)
        pdf.set_creator("OpSour Research and Consulting")
        pdf.set_producer("fpdf2")
        pdf.set_lang(r.lang)
        pdf.set_creation_date(r.created)
        if r.cover_lines:
            self.cover()
        if not r.front_at_end:
            self.front_matter()
        self.body()
        if r.front_at_end:
            self.front_matter()
            self.finish_page()
        return bytes(pdf.output())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", nargs="?", type=Path, default=DEFAULT_SEED, help="seed 004 text file")
    parser.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT, help="the replay wp-content/uploads folder"
    )
    parser.add_argument(
        "--fonts-dir", type=Path, default=DEFAULT_FONTS, help="folder with the DejaVu TTF files"
    )
    args = parser.parse_args(argv)
    missing = [name for name in FONT_FILES.values() if not (args.fonts_dir / name).is_file()]
    if missing:
        sys.exit(
            f"error: DejaVu fonts {missing} not found in {args.fonts_dir}; install fonts-dejavu-core "
            "(apt) or pass --fonts-dir with a folder that has them"
        )
    if not args.seed.is_file():
        sys.exit(f"error: seed file {args.seed} not found; pass the path of 004_6f10304757a95b01.txt")
    try:
        import fpdf  # noqa: F401
    except ImportError:
        sys.exit("error: fpdf2 is not installed; run with `uv run` (it is a dev dependency)")
    outputs = {
        "2021/11/cautious-optimism-moscow-taliban-nexus.pdf": seed_report(args.seed),
        "2023/03/taliban-yonetimi-ve-orta-asya-guvenligi.pdf": turkish_report(),
    }
    for relative, report in outputs.items():
        target = args.out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        first_pass = Typesetter(report, args.fonts_dir)
        first_pass.build()
        target.write_bytes(Typesetter(report, args.fonts_dir, page_count=len(first_pass.pages)).build())
        print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
