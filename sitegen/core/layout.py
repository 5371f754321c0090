"""The layout of a project and of the site it builds, named once: the input folders and files, the
names the build reserves in the output folder, and the one rule for where the output may go.
"""

from __future__ import annotations

from pathlib import Path

# Inputs, relative to the project folder.
SETTINGS_FILE = "site.yaml"
CONTENT_FOLDER = "content"
TEMPLATES_FOLDER = "templates"
STATIC_FOLDER = "static"
SEEDS_FOLDER = "seeds"
INPUT_FOLDERS = (CONTENT_FOLDER, TEMPLATES_FOLDER, STATIC_FOLDER, SEEDS_FOLDER)
SOURCES_FILE = "sources.yaml"  # in the seeds folder
GLOSSARY_FILE = "glossary.yaml"  # in the content folder
REFERENCES_FILE = "references.yaml"  # in the content folder

# Outputs, relative to the output folder.
HOME_URL = ""
GLOSSARY_URL = "glossary/"
SOURCES_URL = "sources/"  # the sources index, and each seed's page at sources/<id>/
ASSETS_URL = "static/"  # the static files, under content-hashed names
NOT_FOUND = "404.html"
SEARCH_BUNDLE = "pagefind"  # the folder the search index is written to
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"  # GitHub Pages
HEADERS = "_headers"  # Netlify, Cloudflare Pages
REDIRECTS = "_redirects"  # Netlify, Cloudflare Pages
CNAME = "CNAME"  # GitHub Pages' custom domain, written by deploy
OUTPUT_MARKER = ".sitegen-output"  # marks a folder sitegen wrote, so that it may replace it
# RFC 8615's well-known URIs (security.txt, ACME challenges, domain verification): static/.well-known/
# is published at the site root under the files' own names, the one hidden folder an input keeps.
WELL_KNOWN = ".well-known"
PUBLISHED_HIDDEN = {STATIC_FOLDER: (WELL_KNOWN,)}  # input folder → the hidden folders at its top that are read
# Names at the site root that belong to the build: no page may take one as its first URL segment.
RESERVED_NAMES = (
    NOT_FOUND, SITEMAP, ROBOTS, HEADERS, REDIRECTS, NOJEKYLL, CNAME, OUTPUT_MARKER, SEARCH_BUNDLE, ASSETS_URL.rstrip("/"), WELL_KNOWN,
)

# Folders of a project that an output folder may neither be nor lie in: its inputs, its history,
# and the generator's own code and tests when the project is the generator's repository.
PROTECTED_FOLDERS = (*INPUT_FOLDERS, ".git", "sitegen", "tests")


def output_refusal(out_dir: Path, root: Path) -> str:
    """Why the site may not be written to `out_dir` for the project at `root` ("" when it may): the
    output folder is replaced on every build, so it may not be the file system's root, the home
    folder, the project or a folder that holds it, nor be or lie in one of `PROTECTED_FOLDERS`."""
    out = out_dir.resolve()
    project = root.resolve()
    if out == out.parent or out == Path.home().resolve():
        return "is the root or the home folder"
    if out == project or out in project.parents:
        return "is the project or a folder that holds it"
    for name in PROTECTED_FOLDERS:
        folder = project / name
        if out == folder:
            return f"is the project's {name}/ folder"
        if folder in out.parents:
            return f"lies in the project's {name}/ folder"
    return ""
