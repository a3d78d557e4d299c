"""The gallery's entries: one URL per chart kind and design feature, in page order.

To show a new feature, append an :class:`Entry` to its section (or a new
section at the end) and run ``make gallery``; ``tests/test_gallery.py`` fails
until the page and its images are regenerated. ``name`` is the image's file
name, so keep it unique and stable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    section: str
    name: str
    url: str
    caption: str


_MONTHS = "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec"
_LONG_LABELS = ",".join(f"Department of Long Name {i}" for i in range(1, 31))
_THIRTY = ",".join(str((i * 37) % 23 + 5) for i in range(30))

NATIVE = "Native kinds (/v1/charts/{kind})"
DESIGN = "Design features (native)"
TEXT = "Text for everyone"
FORMATS = "Output formats"
GOOGLE = "Google Image Charts (/chart)"
SPECIAL = "QR, TeX and GraphViz (/chart)"

ENTRIES: tuple[Entry, ...] = (
    # --- native kinds ---------------------------------------------------------------
    Entry(
        NATIVE,
        "bar",
        "/v1/charts/bar?values=3,7,5,9&values=4,2,6,8&labels=Q1,Q2,Q3,Q4"
        "&series=2025,2026&title=Sales&width=500&height=300",
        "Grouped bars with a legend for two named series.",
    ),
    Entry(
        NATIVE,
        "bar-stacked",
        "/v1/charts/bar?values=3,7,5,9&values=4,2,6,8&labels=Q1,Q2,Q3,Q4"
        "&series=North,South&stacked=true&title=Stacked&width=500&height=300",
        "Stacked bars: series add up per category.",
    ),
    Entry(
        NATIVE,
        "bar-horizontal",
        "/v1/charts/bar?values=42,35,28,17,9&labels=Berlin,Hamburg,Munich,Cologne,Frankfurt"
        "&horizontal=true&value_labels=true&title=Horizontal bars&width=500&height=300",
        "Horizontal bars with value labels; category labels keep a gap from the bars.",
    ),
    Entry(
        NATIVE,
        "bar-negative",
        "/v1/charts/bar?values=5,-3,8,-6,2,4&labels=a,b,c,d,e,f"
        "&title=Profit and loss&width=500&height=300",
        "Bars above and below zero.",
    ),
    Entry(
        NATIVE,
        "line",
        f"/v1/charts/line?values=12,15,14,18,22,21,25,24,28,30,29,33&labels={_MONTHS}"
        "&values=10,11,13,12,15,17,16,19,18,21,23,22&series=Visits,Signups"
        "&title=Monthly traffic&width=500&height=300",
        "Two line series over twelve months.",
    ),
    Entry(
        NATIVE,
        "area",
        "/v1/charts/area?values=3,4,6,5,7,9&values=2,2,3,4,3,5&labels=Jan,Feb,Mar,Apr,May,Jun"
        "&series=Web,App&stacked=true&title=Stacked area&width=500&height=300",
        "Stacked areas.",
    ),
    Entry(
        NATIVE,
        "scatter",
        "/v1/charts/scatter?x=1,2,3,4,5,6,7,8&values=2.1,3.9,6.2,7.8,10.1,12.2,13.8,16.1"
        "&x=1,2,3,4,5,6,7,8&values=5,4.5,6,5.5,7,6.5,8,7.5&series=Fast,Slow"
        "&x_title=Hours&y_title=Output&width=500&height=300",
        "Scatter plot of two series on numeric x and y axes.",
    ),
    Entry(
        NATIVE,
        "bubble",
        "/v1/charts/scatter?x=1,3,5,7&values=4,8,3,6&sizes=10,40,20,80"
        "&title=Bubbles&width=500&height=300",
        "Scatter with bubble sizes.",
    ),
    Entry(
        NATIVE,
        "sparkline",
        "/v1/charts/sparkline?values=5,7,6,9,8,11,10,13,12,15&width=400&height=80",
        "A sparkline: the line alone, no axes.",
    ),
    Entry(
        NATIVE,
        "pie",
        "/v1/charts/pie?values=45,25,15,10,5&labels=Chrome,Safari,Edge,Firefox,Other"
        "&title=Browsers&width=500&height=300",
        "Pie with labelled slices.",
    ),
    Entry(
        NATIVE,
        "doughnut",
        "/v1/charts/doughnut?values=60,25,15&labels=Done,Doing,To do"
        "&title=Tasks&width=500&height=300",
        "Doughnut.",
    ),
    Entry(
        NATIVE,
        "radar",
        "/v1/charts/radar?values=4,3,5,2,4&values=2,5,3,4,3"
        "&labels=Speed,Power,Range,Cost,Comfort&series=Model A,Model B"
        "&title=Comparison&width=500&height=350",
        "Radar with two series.",
    ),
    Entry(
        NATIVE,
        "gauge",
        "/v1/charts/gauge?values=72&y_max=100&title=Score&width=400&height=250",
        "Gauge reading 72 of 100.",
    ),
    Entry(
        NATIVE,
        "venn",
        "/v1/charts/venn?values=100,80,60,30,20,15,5&labels=A,B,C&title=Overlap"
        "&width=400&height=300",
        "Three-set Venn diagram (A, B, C, AB, AC, BC, ABC).",
    ),
    # --- design features ------------------------------------------------------------
    Entry(
        DESIGN,
        "compact-numbers",
        "/v1/charts/bar?values=120000000,450000000,980000000&labels=2024,2025,2026"
        "&title=Revenue&value_labels=true&width=500&height=300",
        "Billions read as 0.2B … 1.0B (no 1e+09), and the axis ends at the data's round tick.",
    ),
    Entry(
        DESIGN,
        "gauge-millions",
        "/v1/charts/gauge?values=1450000&y_max=2000000&title=Users&width=400&height=250",
        "A gauge reads 1.45M of 2M.",
    ),
    Entry(
        DESIGN,
        "number-format-currency",
        "/v1/charts/bar?values=1234.5,980.25,1530&labels=Jan,Feb,Mar&number_format=$,.2f"
        "&value_labels=true&title=number_format=$,.2f&width=500&height=300",
        "`number_format=$,.2f` on the axis and the value labels.",
    ),
    Entry(
        DESIGN,
        "number-format-percent",
        "/v1/charts/line?values=0.12,0.18,0.15,0.22,0.27&labels=Mon,Tue,Wed,Thu,Fri"
        "&number_format=.0%25&value_labels=true&title=Conversion&width=500&height=300",
        "`number_format=.0%` writes fractions as percentages.",
    ),
    Entry(
        DESIGN,
        "long-labels",
        f"/v1/charts/bar?values={_THIRTY}&labels={_LONG_LABELS}&width=600&height=400"
        "&title=30 long labels",
        "30 long category labels at 600×400: thinned evenly (first and last kept), "
        "rotated, none clipped.",
    ),
    Entry(
        DESIGN,
        "months-quarters",
        "/v1/charts/line?values="
        + ",".join(str(10 + (i * 7) % 11) for i in range(24))
        + "&labels="
        + ",".join(f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13))
        + "&title=24 months&width=500&height=300",
        "24 monthly labels ticked on calendar steps (quarters).",
    ),
    Entry(
        DESIGN,
        "theme-dark",
        "/v1/charts/bar?values=3,7,5,9&values=4,2,6,8&labels=Q1,Q2,Q3,Q4&series=2025,2026"
        "&theme=dark&title=Dark theme&width=500&height=300",
        "`theme=dark`: light text and grid on #1E1E1E.",
    ),
    Entry(
        DESIGN,
        "theme-dark-pie",
        "/v1/charts/pie?values=45,25,15,10,5&labels=Chrome,Safari,Edge,Firefox,Other"
        "&theme=dark&title=Dark pie&width=500&height=300",
        "A dark pie: slice edges follow the theme.",
    ),
    Entry(
        DESIGN,
        "transparent",
        "/v1/charts/line?values=3,5,4,7,6,9&labels=a,b,c,d,e,f&background=transparent"
        "&title=Transparent background&width=500&height=300",
        "`background=transparent`: PNG alpha 0 where nothing is drawn.",
    ),
    Entry(
        DESIGN,
        "palette-okabe-ito",
        "/v1/charts/bar?values=3,7,5&values=4,2,6&values=5,5,3&values=2,6,4"
        "&labels=a,b,c&series=one,two,three,four&palette=okabe-ito"
        "&title=palette=okabe-ito&width=500&height=300",
        "A colour-blind-safe named palette.",
    ),
    Entry(
        DESIGN,
        "palette-viridis",
        "/v1/charts/doughnut?values=8,7,6,5,4,3&labels=a,b,c,d,e,f&palette=viridis"
        "&title=palette=viridis&width=500&height=300",
        "`palette=viridis` on a doughnut.",
    ),
    Entry(
        DESIGN,
        "font-serif",
        "/v1/charts/bar?values=3,7,5&labels=Alpha,Beta,Gamma&font=DejaVu Serif"
        "&title=font=DejaVu Serif&width=500&height=300",
        "`font=` picks an installed family.",
    ),
    Entry(
        DESIGN,
        "pie-many-slices",
        "/v1/charts/pie?values=30,18,12,9,7,5,4,3,3,2,2,1,1,1,1,1"
        "&labels=Rent,Food,Travel,Health,Fun,Gifts,Books,Phone,Water,Power,Gym,Pets,Tea,"
        "Socks,Pens,Misc&pie_labels=label_percent&title=Where it goes&width=600&height=400",
        "16 slices: labels outside in two columns with leader lines, `pie_labels=label_percent`.",
    ),
    Entry(
        DESIGN,
        "doughnut-percent",
        "/v1/charts/doughnut?values=45,25,15,10,5&labels=Chrome,Safari,Edge,Firefox,Other"
        "&pie_labels=percent&title=pie_labels=percent&width=500&height=300",
        "A doughnut labelled with percentages.",
    ),
    Entry(
        DESIGN,
        "value-labels-line",
        "/v1/charts/line?values=12,22,8,15,30,11,19&labels=Mon,Tue,Wed,Thu,Fri,Sat,Sun"
        "&value_labels=true&title=Value labels off the line&width=500&height=300",
        "Value labels sit below minima and above other points, never on the line.",
    ),
    Entry(
        DESIGN,
        "time-axis",
        "/v1/charts/line?values="
        + ",".join(str(10 + (i * 7) % 13) for i in range(24))
        + "&x="
        + ",".join(f"{2025 + m // 12}-{m % 12 + 1:02d}-01" for m in range(24))
        + "&title=Time axis&width=600&height=300",
        "ISO dates as `x`: ticks on calendar units (quarters here), labels that are dates.",
    ),
    Entry(
        DESIGN,
        "log-scale",
        "/v1/charts/line?values=3,40,220,1800,9500,61000&labels=2021,2022,2023,2024,2025,2026"
        "&y_scale=log&title=y_scale=log&width=500&height=300",
        "`y_scale=log`: powers of ten at equal spacing.",
    ),
    Entry(
        DESIGN,
        "annotations",
        "/v1/charts/line?values=62,71,58,90,84,77,95&labels=Mon,Tue,Wed,Thu,Fri,Sat,Sun"
        "&annotations=y|80|Target|red&annotations=y|55..70|Normal|00AA0033"
        "&title=Annotations&width=500&height=300",
        "`annotations`: a reference line and a band, each with a label.",
    ),
    Entry(
        DESIGN,
        "dual-axis",
        "/v1/charts/bar?values=120,150,170,160&values=0.12,0.18,0.21,0.19&labels=Q1,Q2,Q3,Q4"
        "&series=Revenue,Margin&axis=left,right&y2_number_format=.0%25"
        "&title=Two y axes&width=500&height=300",
        "`axis=left,right`: the second series on its own right axis and number format.",
    ),
    # --- text -----------------------------------------------------------------------
    Entry(
        TEXT,
        "cjk",
        "/v1/charts/bar?values=120,95,80&labels=東京,大阪,名古屋&title=销售额 売上 매출"
        "&width=500&height=300",
        "Chinese, Japanese and Korean title and labels from Noto Sans CJK.",
    ),
    Entry(
        TEXT,
        "rtl",
        "/v1/charts/bar?values=5,8,3&labels=مرحبا,שלום,Hello&title=مبيعات · מכירות"
        "&width=500&height=300",
        "Arabic (joined) and Hebrew, right to left.",
    ),
    Entry(
        TEXT,
        "emoji",
        "/v1/charts/bar?values=5,8,3&labels=😀 happy,❤ love,📈 growth&title=Emoji 🎉"
        "&width=500&height=300",
        "Emoji in labels and the title.",
    ),
    # --- output formats -------------------------------------------------------------
    Entry(
        FORMATS,
        "svg",
        "/v1/charts/line?values=3,5,4,7,6,9&labels=a,b,c,d,e,f&format=svg"
        "&title=SVG with real text&width=500&height=300",
        "SVG sized in px, with real `<text>`.",
    ),
    Entry(
        FORMATS,
        "scale-2",
        "/v1/charts/bar?values=3,7,5&labels=a,b,c&scale=2&title=scale=2&width=300&height=200",
        "`scale=2`: a 300×200 chart drawn at 600×400 pixels for high-density screens.",
    ),
    Entry(
        FORMATS,
        "pdf",
        "/v1/charts/bar?values=42,35,28,17&labels=Berlin,Hamburg,Munich,Cologne&format=pdf"
        "&title=PDF: one vector page&width=500&height=300",
        "`format=pdf`: one 500×300 pt page (1 pt per CSS px), bars as paths, text as embedded "
        "fonts you can search and copy.",
    ),
    # --- Google Image Charts --------------------------------------------------------
    Entry(
        GOOGLE,
        "google-bvg",
        "/chart?cht=bvg&chs=500x300&chd=t:30,60,45|20,40,70&chco=4D89F9,C6D9FD"
        "&chxt=x,y&chxl=0:|Jan|Feb|Mar&chdl=2025|2026&chtt=Grouped+bars",
        "`cht=bvg`: grouped vertical bars with axes and a legend.",
    ),
    Entry(
        GOOGLE,
        "google-bhs",
        "/chart?cht=bhs&chs=500x300&chd=t:10,50,60,80|40,20,30,10&chco=FF9900,3399CC"
        "&chxt=x,y&chxl=1:|d|c|b|a",
        "`cht=bhs`: stacked horizontal bars.",
    ),
    Entry(
        GOOGLE,
        "google-lc",
        "/chart?cht=lc&chs=500x300&chd=t:10,25,18,40,35,60,55&chxt=x,y&chg=20,25"
        "&chm=B,FFCC6680,0,0,0&chtt=Line+with+fill",
        "`cht=lc`: a line with grid and fill to the bottom (`chm=B`).",
    ),
    Entry(
        GOOGLE,
        "google-lxy",
        "/chart?cht=lxy&chs=500x300&chd=t:0,30,60,100|20,70,40,90|0,50,100|80,10,60"
        "&chco=3072F3,FF0000&chxt=x,y&chdl=A|B",
        "`cht=lxy`: x/y line pairs.",
    ),
    Entry(
        GOOGLE,
        "google-scatter",
        "/chart?cht=s&chs=500x300&chd=t:10,20,40,80,90,95|20,30,40,50,30,20|40,60,80,100,60,40"
        "&chxt=x,y",
        "`cht=s`: scatter with point sizes.",
    ),
    Entry(
        GOOGLE,
        "google-pie",
        "/chart?cht=p&chs=500x250&chd=t:40,30,20,10&chl=Apples|Pears|Plums|Figs",
        "`cht=p`: a pie starting at 3 o'clock, as Google's.",
    ),
    Entry(
        GOOGLE,
        "google-p3",
        "/chart?cht=p3&chs=500x250&chd=t:60,40&chl=Hello|World",
        "`cht=p3`: the tilted 3-D pie.",
    ),
    Entry(
        GOOGLE,
        "google-pc",
        "/chart?cht=pc&chs=400x300&chd=t:30,70|50,30,20&chco=FF9900|3399CC",
        "`cht=pc`: concentric pies, one ring per series.",
    ),
    Entry(
        GOOGLE,
        "google-radar",
        "/chart?cht=r&chs=400x400&chd=t:80,60,90,40,70,80&chxt=x&chxl=0:|A|B|C|D|E"
        "&chm=B,3399CC80,0,0,0",
        "`cht=r`: radar with a filled series.",
    ),
    Entry(
        GOOGLE,
        "google-meter",
        "/chart?cht=gom&chs=400x220&chd=t:70&chl=70%25&chco=FF0000,FFFF00,00FF00",
        "`cht=gom`: Google-o-meter with a colour gradient.",
    ),
    Entry(
        GOOGLE,
        "google-venn",
        "/chart?cht=v&chs=400x300&chd=t:100,80,60,30,30,30,10&chdl=A|B|C",
        "`cht=v`: Venn diagram.",
    ),
    Entry(
        GOOGLE,
        "google-map",
        "/chart?cht=map&chs=500x300&chld=FR|DE|IT|ES&chco=CCCCCC|4D89F9|FF9900|59A14F|E15759",
        "`cht=map`: a choropleth of four countries.",
    ),
    Entry(
        GOOGLE,
        "google-icon",
        "/chart?chst=d_map_pin_letter&chld=A|FF0000|FFFFFF",
        "`chst`: a dynamic map-pin icon.",
    ),
    # --- special renderers ----------------------------------------------------------
    Entry(
        SPECIAL,
        "qr",
        "/chart?cht=qr&chs=400x400&chl=https://example.com/chartographer&chld=M|2",
        "`cht=qr`: a QR code (level M, margin 2).",
    ),
    Entry(
        SPECIAL,
        "tex",
        "/chart?cht=tx&chs=400x120&chl=x=\\frac{-b\\pm\\sqrt{b^2-4ac}}{2a}",
        "`cht=tx`: a TeX formula (matplotlib mathtext).",
    ),
    Entry(
        SPECIAL,
        "graphviz",
        "/chart?cht=gv&chs=400x300&chl=digraph{rankdir=LR;request->cache->render->image;"
        "cache->image}",
        "`cht=gv`: a GraphViz graph drawn by `dot`.",
    ),
)
