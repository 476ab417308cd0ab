"""Generate a local news site of N articles (HTML pages and a sitemap) for crash and scale tests."""

from __future__ import annotations

import random
from pathlib import Path

from pipelines.localsite import write_sitemap

COMPANIES_ZH = ["英伟达", "华为", "台积电", "寒武纪", "摩尔线程", "阿里巴巴", "百度", "腾讯"]
COMPANIES_EN = ["Nvidia", "AMD", "Intel", "TSMC", "Samsung", "Micron", "Broadcom", "Qualcomm"]
METRICS_ZH = [
    ("毛利率为{p}%", "gross margin"),
    ("营收为{m}亿美元", "revenue"),
    ("出货量约为{n}万片", "shipments"),
]
METRICS_EN = [("gross margin was {p}%", "gross margin"), ("revenue rose to ${m} billion", "revenue"),
              ("shipped about {n},000 units", "shipments")]  # fmt: skip

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}"></head><body>
<nav><a href="/">Home</a> <a href="/tech/">Tech</a></nav><article><h1>{title}</h1>{paragraphs}</article>
<footer>© Big Site</footer></body></html>"""


def article(i: int, rng: random.Random) -> tuple[str, str]:
    lang = "zh" if i % 2 else "en"
    date = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+08:00"
    values = {
        "p": round(rng.uniform(20, 80), 1),
        "m": round(rng.uniform(1, 300), 1),
        "n": rng.randint(2, 90),
    }
    if lang == "zh":
        company = COMPANIES_ZH[i % len(COMPANIES_ZH)]
        template, _ = METRICS_ZH[i % len(METRICS_ZH)]
        title = f"{company}第{i}号报道"
        sentences = [f"据测试网报道，{company}本季度{template.format(**values)}。",
                     f"{company}表示，第{i}号项目进展顺利，客户需求保持强劲。"]  # fmt: skip
    else:
        company = COMPANIES_EN[i % len(COMPANIES_EN)]
        template, _ = METRICS_EN[i % len(METRICS_EN)]
        title = f"{company} report number {i}"
        sentences = [f"{company} said its {template.format(**values)} in the quarter.",
                     f"Analysts said report {i} showed demand holding up across the industry."]  # fmt: skip
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences * 2)
    return lang, PAGE.format(lang=lang, title=title, date=date, paragraphs=paragraphs)


def build_site(folder: Path, count: int, seed: int = 7) -> list[str]:
    """Write `count` articles and a sitemap under `folder`; returns the article paths."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        _, page = article(i, rng)
        path = f"news/{i // 500:02d}/a{i:06d}.html"
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        paths.append(path)
    write_sitemap(folder, paths)
    return paths
