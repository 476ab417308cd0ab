"""Small, realistic articles for the pipeline tests (written for these tests)."""

from __future__ import annotations

ZH_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>英伟达第二财季营收创新高 - 测试科技</title>
<meta property="article:published_time" content="2024-08-29T10:43:00+08:00"></head>
<body><nav><a href="/">首页</a> <a href="/ai">人工智能</a></nav>
<article><h1>英伟达第二财季营收创新高</h1>
<p>英伟达8月28日公布的财报显示，公司第二财季营收为300.4亿美元，同比增长122%。</p>
<p>英伟达第二财季毛利率为75.1%，高于市场预期。</p>
<p>据TrendForce数据，2024年华为昇腾芯片出货量约为3万至5万片。</p>
<p>{extra}</p>
<p>黄仁勋表示：“市场对Hopper的需求依然非常强劲。”</p>
</article><footer>版权所有 © 2024 测试科技 京ICP备00000000号</footer></body></html>
"""

EN_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Nvidia forecast fails to impress | Test Wire</title>
<meta property="article:published_time" content="2024-08-28T22:41:00+00:00"></head>
<body><header><a href="/">Home</a></header>
<article><h1>Nvidia forecast fails to impress</h1>
<p>Nvidia reported second-quarter revenue of $30.04 billion, up 122% from a year earlier.</p>
<p>The company's gross margin was 75.1% in the quarter.</p>
<p>Nvidia shares fell 7% in extended trading.</p>
<p>"Demand for Hopper remains strong," Chief Executive Jensen Huang said.</p>
</article><footer>© 2024 Test Wire</footer></body></html>
"""


def zh_article(extra: str = "另据IDC统计，今年上半年中国加速卡出货量超过90万张。") -> str:
    return ZH_HTML.replace("{extra}", extra)
