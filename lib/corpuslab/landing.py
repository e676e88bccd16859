"""A run's landing page (``index.html``): what was run on what, the key findings, links to every page, figure and
table, the methods paragraph with its references (BibTeX) and the provenance."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from corpuslab.findings import _link, findings_html

METHODS: dict[str, tuple[str, tuple[str, ...]]] = {
    "00_corpus": ("Documents were cleaned of page furniture by line patterns and split into sentences with a Punkt "
                  "model (Kiss & Strunk 2006) trained on public-domain US political prose.", ("kiss2006punkt",)),
    "01_term_frequency": ("Term frequencies, keyness (log-likelihood G², Dunning 1993; Rayson & Garside 2000; "
                          "log-ratio, Hardie 2014), collocations and dispersion (Gries 2008) follow quanteda's "
                          "definitions (Benoit et al. 2018); the general-English reference for keyness is the Brown "
                          "corpus (Francis & Kučera 1979).",
                          ("manning2008ir", "dunning1993", "rayson2000", "hardie2014", "gries2008",
                           "benoit2018quanteda", "francis1979brown")),
    "02_topics": ("Topics were modelled with NMF (Lee & Seung 1999) or LDA (Blei et al. 2003), chosen by coherence "
                  "(Mimno et al. 2011) and stability on random halves of the units (Greene et al. 2014), and read "
                  "with FREX and relevance (Roberts et al. 2014; Sievert & Shirley 2014).",
                  ("lee1999nmf", "blei2003lda", "mimno2011coherence", "greene2014stability", "roberts2014stm",
                   "sievert2014ldavis")),
    "03_sentiment": ("Sentence sentiment was scored with VADER (Hutto & Gilbert 2014) and the Hu & Liu (2004) opinion "
                     "lexicon, validated against human ratings before use (cf. Young & Soroka 2012).",
                     ("hutto2014vader", "hu2004opinion", "young2012lexicoder")),
    "04_similarity": ("Documents were compared by the cosine (or Pearson correlation) of their tf-idf weights, as "
                      "quanteda's textstat_simil (Benoit et al. 2018; Manning et al. 2008), and clustered by average "
                      "linkage.", ("manning2008ir", "benoit2018quanteda")),
    "05_scaling": ("Texts were placed on one dimension with Wordfish (Slapin & Proksch 2008), fitted as "
                   "quanteda.textmodels does, and, given reference texts, Wordscores (Laver, Benoit & Garry 2003; "
                   "rescaled as Martin & Vanberg 2008).", ("slapin2008wordfish", "laver2003wordscores",
                                                           "martin2008mv")),
    "06_word_embeddings": ("Words used alike were found with word2vec (Mikolov et al. 2013; gensim, Řehůřek & Sojka "
                           "2010) trained on the corpus with several seeds, the stability of each word's neighbours "
                           "measured across seeds (Antoniak & Mimno 2018).",
                           ("mikolov2013word2vec", "rehurek2010gensim", "antoniak2018stability")),
}


def methods_paragraph(notebooks: Iterable[str]) -> tuple[str, list[str]]:
    """The methods text for the notebooks that ran, and the BibTeX keys it cites."""
    parts, keys = [], []
    for name in notebooks:
        if name in METHODS:
            text, cited = METHODS[name]
            parts.append(text)
            keys += [k for k in cited if k not in keys]
    return " ".join(parts), keys


def bibtex(keys: Iterable[str], source: Path) -> str:
    """The entries of ``source`` (a .bib file) whose keys are in ``keys``, in that order."""
    entries = {}
    for chunk in Path(source).read_text(encoding="utf-8").split("\n@")[0:]:
        chunk = chunk if chunk.startswith("@") else "@" + chunk
        key = chunk.split("{", 1)[1].split(",", 1)[0].strip()
        entries[key] = chunk.strip()
    return "\n\n".join(entries[k] for k in keys if k in entries) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src * data:; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
  color:#1a1a1a;line-height:1.5}}
h1{{margin-bottom:.2rem}} .sub{{color:#555;margin-top:0}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}}
th{{background:#f4f4f4}} .failed{{color:#b00020;font-weight:bold}} .succeeded{{color:#1b7a1b}}
figure{{display:inline-block;vertical-align:top;margin:0 1rem 1rem 0;width:18rem}}
figure img{{width:100%;height:12rem;object-fit:contain;border:1px solid #eee}}
figcaption{{font-size:.85rem}} code{{background:#f4f4f4;padding:0 .2rem}}
</style></head><body>
<h1>{title}</h1>
<p class="sub">Run <code>{run_id}</code> · status <span class="{status}">{status}</span> · {n_documents} documents
· corpus <code>{corpus}</code></p>
<h2>Key findings</h2>
{findings}
<h2>Notebooks</h2>
<table><tr><th>notebook</th><th>status</th><th>seconds</th><th>peak memory (MB)</th><th>report</th>
<th>executed notebook</th></tr>
{notebook_rows}
</table>
<h2>Figures</h2>
{figures}
<h2>Tables</h2>
<ul>{tables}</ul>
<h2>Methods</h2>
<p>{methods} References: <a href="references.bib">references.bib</a> (BibTeX). Software: corpuslab
(see <code>CITATION.cff</code>), with the package versions in the manifest.</p>
<h2>Provenance</h2>
<p>Input fingerprint <code>{fingerprint}</code> (sha256 of text and metadata) · git commit <code>{commit}</code> ·
started {started} · finished {finished}. Every parameter, package version and resource hash is in
<a href="manifest.json">manifest.json</a>.</p>
</body></html>
"""


def render_index(manifest: dict, run_dir: str | Path) -> str:
    """The HTML landing page of a run folder, from its manifest and the files present."""
    run_dir = Path(run_dir)
    e = html.escape
    rows = []
    for nb in manifest["notebooks"]:
        name = nb["name"]
        page = f"html/{name}.html"
        executed = f"notebooks/{name}.ipynb"
        rows.append(
            f"<tr><td>{e(name)}</td><td class=\"{e(nb['status'])}\">{e(nb['status'])}</td>"
            f"<td>{nb.get('seconds', '')}</td><td>{nb.get('peak_mb', '')}</td>"
            f"<td>{_link(page, 'HTML') if (run_dir / page).exists() else ''}</td>"
            f"<td>{_link(executed, '.ipynb') if (run_dir / executed).exists() else ''}</td></tr>"
            + (f"<tr><td colspan=\"5\" class=\"failed\">{e(nb['error'])}</td></tr>" if nb.get("error") else "")
        )
    findings_path = run_dir / "tables" / "key_findings.csv"
    if findings_path.exists():
        findings = pd.read_csv(findings_path, keep_default_na=False)
        findings_table = findings_html(findings if "link" in findings.columns else findings.assign(link=""))
    else:
        findings_table = "<p>No findings: the summary notebook did not run.</p>"
    pngs = sorted((run_dir / "figures").glob("*.png"))
    figures = "".join(
        f'<figure><a href="figures/{e(p.name)}"><img src="figures/{e(p.name)}" alt="{e(p.stem)}"></a>'
        f'<figcaption>{e(p.stem.replace("_", " "))} · {_link("figures/" + p.name, "PNG")} · '
        f'{_link("figures/" + p.stem + ".svg", "SVG")}</figcaption></figure>'
        for p in pngs
    ) or "<p>None.</p>"
    tables = "".join(f"<li>{_link('tables/' + p.name, p.name)}</li>"
                     for p in sorted((run_dir / "tables").glob("*.csv")))
    methods, _ = methods_paragraph(nb["name"] for nb in manifest["notebooks"] if nb["status"] == "succeeded")
    return _PAGE.format(
        title=e(manifest.get("title", "corpuslab report")), run_id=e(manifest["run_id"]), status=e(manifest["status"]),
        n_documents=e(str(manifest.get("n_documents", "?"))), corpus=e(str(manifest["params"]["corpus"]["path"])),
        findings=findings_table, methods=e(methods), notebook_rows="\n".join(rows), figures=figures,
        tables=tables or "<li>None.</li>",
        fingerprint=e(manifest.get("fingerprint", "")), commit=e(manifest.get("git_commit", "unknown")),
        started=e(manifest.get("started", "")), finished=e(manifest.get("finished", "") or "not finished"),
    )
