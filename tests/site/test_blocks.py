"""HTML blocks set aside while MkDocs renders, and put back: Markdown around them stays Markdown."""

from __future__ import annotations

import markdown

from okrsite.site.blocks import put_back, searched_as_built, set_aside


def test_a_heading_right_after_an_html_line_stays_a_heading():
    page = '# Title\n\n<div class="a">\n<p>x</p>\n</div>\n<p class="m">note</p>\n## Alignment\n\n<svg><a href="x"><rect/></a></svg>\n'
    skeleton, blocks = set_aside(page)
    assert skeleton == f"# Title\n\n{blocks.marker(0)}\n\n## Alignment\n\n{blocks.marker(1)}\n"
    assert blocks.items == ['<div class="a">\n<p>x</p>\n</div>\n<p class="m">note</p>', '<svg><a href="x"><rect/></a></svg>']
    assert put_back(skeleton, blocks) == page.replace("</p>\n## Alignment", "</p>\n\n## Alignment")


def test_a_block_with_blank_lines_inside_stays_whole():
    page = "<div>\n<pre><code>a\n\nb</code></pre>\n</div>\n\nAfter.\n"
    skeleton, blocks = set_aside(page)
    assert skeleton == f"{blocks.marker(0)}\n\nAfter.\n"
    assert blocks.items == ["<div>\n<pre><code>a\n\nb</code></pre>\n</div>"]


def test_blocks_with_only_blank_lines_between_wait_behind_one_marker_until_one_has_searched_text():
    """Markdown renders each marker as a block of its own: a review of 200 teams held 1,400 of them."""
    page = "<div>a</div>\n\n<div>b</div>\n\n<p data-okr-search>Lesson</p>\n\n<div>c</div>\n\nProse.\n\n<div>d</div>\n"
    skeleton, blocks = set_aside(page)
    lesson = blocks.searched("Lesson")
    assert skeleton == f"{blocks.marker(0)}\n{lesson}\n\n{blocks.marker(1)}\n\nProse.\n\n{blocks.marker(2)}\n"
    assert blocks.items == ["<div>a</div>\n\n<div>b</div>\n\n<p data-okr-search>Lesson</p>", "<div>c</div>", "<div>d</div>"]
    assert put_back(markdown.markdown(skeleton), blocks) == markdown.markdown(page)  # what the engine makes of the page itself


def test_inline_html_inside_a_paragraph_is_left_to_markdown():
    page = "Some <em>text</em>\n<b>more</b>\n"
    skeleton, blocks = set_aside(page)
    assert (skeleton, blocks.items) == (page, [])


def test_text_that_looks_like_a_marker_is_left_as_it_is():
    skeleton, blocks = set_aside("# Title\n\n<div>x</div>\n")
    forged = "<!--okrsite-block-0--> <!--okrsite-block-7--> " + blocks.marker(9)
    assert put_back(skeleton + forged, blocks) == "# Title\n\n<div>x</div>\n" + forged  # another page's, a guess, an index past the end


def test_blocks_wait_compressed_and_come_back_exactly():
    rows = "".join(f"<tr><td>Équipe {i} → 90 %</td><td>\x00 ✓</td></tr>\n" for i in range(300))
    page = f"# Title\n\n<table>\n{rows}</table>\n\nBetween.\n\n<p>二 · 🚀</p>\n"
    skeleton, blocks = set_aside(page)
    assert blocks.items == [f"<table>\n{rows}</table>", "<p>二 · 🚀</p>"]
    assert len(blocks.packed) * 10 < len(page.encode())  # a site's pages all wait at once: a tenth of their size each
    assert put_back(skeleton, blocks) == page


def test_for_other_engines_blocks_kept_out_of_search_say_so_and_the_rest_stays():
    page = (
        "# Title\n\nSome *prose*.\n\n"
        '<div class="okr-outline">\n<details open><summary>Web</summary>\n<ul><li>new KR</li></ul>\n</details>\n</div>\n'
        '<p class="okr-muted">Beside it</p>\n\n'
        '<div class="okr-kr">\n<p data-okr-search>Owner: Ana</p>\n</div>\n\n'
        "<figure data-search-exclude><svg></svg></figure>\n"
    )
    assert searched_as_built(page) == (
        "# Title\n\nSome *prose*.\n\n"
        '<div data-search-exclude class="okr-outline">\n'
        "<details open><summary>Web</summary>\n<ul><li>new KR</li></ul>\n</details>\n</div>\n"
        '<p data-search-exclude class="okr-muted">Beside it</p>\n\n'  # each element at the top of the block, none inside
        '<div class="okr-kr">\n<p data-okr-search>Owner: Ana</p>\n</div>\n\n'  # what the build searches stays searched
        "<figure data-search-exclude><svg></svg></figure>\n"  # said once
    )
    nested = '<ul class="okr-changes">\n<li>Speed\n<ul>\n<li>new KR</li>\n</ul></li>\n</ul>\n<p>After</p>\n'
    assert searched_as_built(nested) == nested.replace("<p>", "<p data-search-exclude>")  # Material's search fails on that <ul>
