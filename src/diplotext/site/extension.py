"""The book's Sphinx extension (``sphinx: extra_extensions`` in ``_config.yml``).

- ``{cite-this-chapter}``, ``{cite-this-book}`` and ``{rerun-locally}``: blocks rendered at
  build time from CITATION.cff, so they follow it even when a notebook's outputs are cached.
- ``{numbered-table}``: a glued table with a caption, numbered "Table 2.1" within its
  chapter and citable with ``{numref}`` like a figure (see ``book/methods.md``).
- The author-year citation style of the References page (:mod:`diplotext.site.bibstyle`).
- Settings read from CITATION.cff: the repository button, launch buttons that open the
  release tag, the footer with the version and the licence note, ``{{ book_version }}``.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from . import bibstyle
from .citation import CITATION_FILE, cite_this_book, cite_this_chapter, read_citation, rerun_locally


class numbered_table(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A captioned table, counted with the chapter's other tables."""


class _MarkdownBlock(SphinxDirective):
    # A page's citation is rendered at build time from the project's own files.
    optional_arguments = 1

    def run(self):
        self.env.note_dependency(str(CITATION_FILE))
        container = nodes.container(classes=["diplotext-" + self.name])
        markdown = self.markdown()._repr_markdown_()
        self.state.nested_parse(StringList(markdown.splitlines(), source=str(CITATION_FILE)), 0, container)
        return [container]


class CiteThisChapter(_MarkdownBlock):
    def markdown(self):
        return cite_this_chapter(self.arguments[0] if self.arguments else self.env.docname)


class CiteThisBook(_MarkdownBlock):
    def markdown(self):
        return cite_this_book()


class RerunLocally(_MarkdownBlock):
    def markdown(self):
        return rerun_locally()


class NumberedTable(SphinxDirective):
    """``{numbered-table} GLUE_KEY`` with ``:name:`` and the caption as content.

    The first paragraph of the content is the caption (it may hold ``{glue:text}`` roles);
    further paragraphs are a note under the table.
    """

    required_arguments = 1
    has_content = True
    option_spec = {"name": directives.unchanged_required}

    def run(self):
        key = self.arguments[0]
        if not re.fullmatch(r"[A-Za-z0-9_.:-]+", key):
            raise self.error(f"numbered-table: {key!r} is not a glue key")
        if not self.content:
            raise self.error("numbered-table: a table needs a caption (the directive's content)")
        table = numbered_table(classes=["numbered-table"])
        parsed = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, parsed)
        first, *rest = parsed.children
        if not isinstance(first, nodes.paragraph):
            raise self.error("numbered-table: the caption must be a paragraph")
        table += nodes.caption(first.rawsource, "", *first.children, classes=["caption"])
        body = nodes.container(classes=["numbered-table-body"])
        self.state.nested_parse(StringList([f"```{{glue}} {key}", "```"]), 0, body)
        table += body
        if rest:
            table += nodes.legend("", *rest)
        self.options.setdefault("name", "tbl-" + re.sub(r"[^a-z0-9-]+", "-", key.lower()))
        self.add_name(table)
        return [table]


def _visit_numbered_table(translator, node):
    translator.body.append(translator.starttag(node, "div", CLASS="numbered-table"))


def _depart_numbered_table(translator, node):
    translator.body.append("</div>\n")


def _table_title(node) -> str:
    caption = next(iter(node.findall(nodes.caption)), None)
    return caption.astext() if caption is not None else ""


def setup(app):
    """Sphinx hook."""
    bibstyle.register()
    app.add_directive("cite-this-chapter", CiteThisChapter)
    app.add_directive("cite-this-book", CiteThisBook)
    app.add_directive("rerun-locally", RerunLocally)
    app.add_directive("numbered-table", NumberedTable)
    app.add_enumerable_node(
        numbered_table, "table", _table_title,
        html=(_visit_numbered_table, _depart_numbered_table),
        singlehtml=(_visit_numbered_table, _depart_numbered_table),
    )
    app.connect("config-inited", _configure_site)
    app.connect("html-page-context", _fix_citation_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def licence_note(citation) -> str:
    """The footer's words on what may be reused under which terms (HTML)."""
    return (
        f"<p>Version {citation.version}, released {citation.released.isoformat()} "
        f"(release tag <code>{citation.tag}</code>). "
        f"The code and the book's own text are under the {citation.license} licence. "
        "The analysed article and the sources quoted belong to their publishers; they are "
        "quoted here for analysis and are not covered by that licence.</p>"
    )


def _configure_site(app, config) -> None:
    citation = read_citation()
    options = dict(config.html_theme_options)
    options["repository_url"] = citation.repository
    # Binder, Colab and the repository button open the release that the citations name.
    options["repository_branch"] = citation.tag
    # Jupyter Book refuses this button without a URL in _config.yml; here the URL is known.
    options["use_repository_button"] = True
    # Without a default the theme logs a console error on a reader's first visit; light
    # because the figures have white backgrounds.
    config.html_context = {"default_mode": "light", **config.html_context}
    options["extra_footer"] = licence_note(citation)
    # A citation shows its whole address: the theme would print a GitHub link as "owner/repo",
    # hiding the release tag that pins it.
    options["shorten_urls"] = False
    config.html_theme_options = options
    # {{ book_version }} and friends in any page's Markdown.
    config.myst_substitutions = {
        **config.myst_substitutions,
        "book_title": citation.title,
        "book_version": citation.version,
        "book_released": citation.released.isoformat(),
        "book_license": citation.license,
        "book_tag": citation.tag,
        "book_repository": f"<{citation.repository}>",
        "book_release": f"<{citation.pinned()}>",
    }
    if not options.get("launch_buttons", {}).get("thebe"):
        app.connect("html-page-context", _drop_thebe_scripts)


def _fix_citation_roles(app, pagename, templatename, context, doctree) -> None:
    # Docutils marks bibliography entries with the deprecated DPUB role doc-biblioentry
    # inside a role="list"; screen readers (and axe) need list items there.
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
        # A hidden code cell's toggle is labelled "Toggle hidden content" while it shows "Show
        # code cell source": its accessible name must hold the visible words, so the label goes.
        context["body"] = context["body"].replace('<summary aria-label="Toggle hidden content">', "<summary>")


def _drop_thebe_scripts(app, pagename, templatename, context, doctree) -> None:
    # Jupyter Book always loads sphinx-thebe, which adds to every page a script naming a CDN
    # address even when no Thebe button is shown; with Thebe off, those scripts are left out of
    # the page's documented ``script_files`` list.
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [js for js in scripts if not _is_thebe_script(js)]


def _is_thebe_script(js) -> bool:
    body = (getattr(js, "attributes", None) or {}).get("body", "")
    return "sphinx-thebe.js" in str(getattr(js, "filename", js) or "") or "THEBE_JS_URL" in str(body)
