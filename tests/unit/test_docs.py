"""The reference pages in docs/ keep up with the code (STYLE.md sections 6, 9 and 10).

Every list checked here is imported from the code, so a new setting, pipeline key,
source kind, step kind or action fails a test until its page names it. Conventions the
pages follow, and these tests rely on:

- `docs/settings.md`: one table row per setting, `` | `name` | `OGD_NAME` | `type` |
  `default` | … ``.
- `docs/pipeline-reference.md`: keys in backticks in a heading or a table row; one
  `` ### `kind` `` section per source kind (under `` ## `source` ``) and per step kind
  (under `` ## `steps` ``), with a table row per key, `` | `key` | yes | `` when the key
  is required and `` | `key` | no | `` when it is optional. Under `` ## `privacy` ``
  every privacy, microdata, small-cell and pseudonym key, rule kind, metric and role is
  in backticks in a heading or table row.
- `docs/privacy.md` (the steward's guide) names every key of the privacy section in
  backticks. YAML examples with a `privacy` section, there and in the reference, parse
  without errors; one whose first line is `# pipelines/<slug>.yaml (privacy)` shows
  that pipeline's privacy section as it is.
- `docs/api.md`: one `` ### `name` `` section per action under `## Actions`, with a curl
  call of `/action/name` and a ckanapi call `ckan.action.name(`.
- `docs/cli.md`: one `` ## `ogd name` `` section per command, with a `console` example
  `$ ogd name …` and a table row naming each of its options (`` `--dry-run` ``,
  `` `-q`, `--quiet` ``) and arguments (`` `NAMES` ``); the global options in rows under
  `## Global options`, the exit codes under `## Exit codes`, the fields of a run record
  under `## Run records`.

YAML examples are parsed as `ogd` parses pipelines: YAML 1.2, where `on` is a text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from ruamel.yaml import YAML

from ogd.catalog.actions import ACTIONS
from ogd.cli import cli
from ogd.cli_output import OUTCOME_STYLE
from ogd.config import ENV_PREFIX, Settings, load_settings
from ogd.extract import READERS
from ogd.pipeline import privacy, spec, walker
from ogd.pipeline.history import RunRecord
from ogd.pipeline.walker import Walker
from ogd.transform import STEPS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^(#+) ")

SETTINGS = dataclasses.fields(Settings)
# privacy.py checks the keys of `small_cells` and `pseudonymise` without exporting them.
SMALL_CELL_KEYS = ("threshold", "columns", "linked")
PSEUDONYM_KEYS = ("columns", "purpose", "publish")
PRIVACY_KEYS = [
    pytest.param(key, id=f"{group}.{key}")
    for group, keys in [
        ("privacy", sorted(privacy.PRIVACY_KEYS)),
        ("microdata", sorted(privacy.MICRODATA_KEYS)),
        ("rule", privacy.RULE_KINDS),
        ("metric", privacy.METRICS),
        ("role", privacy.ROLES),
        ("small_cells", SMALL_CELL_KEYS),
        ("pseudonymise", PSEUDONYM_KEYS),
    ]
    for key in keys
]
PRIVACY_GUIDE = "privacy.md"
SHOWN_PIPELINE = re.compile(r"# pipelines/([\w-]+)\.yaml \(privacy\)\n")
SOURCE_KEYS = ("kind", "path", "schema")
TABLE_KEYS = ("name", "title", "steps", "schema")
READER_OPTIONS = [
    pytest.param(kind, option, id=f"{kind}.{option}")
    for kind, d in sorted(READERS.items())
    for option in sorted(d.required | d.optional)
]
STEP_KEYS = [
    pytest.param(kind, key, key in d.required, id=f"{kind}.{key}")
    for kind, d in sorted(STEPS.items())
    for key in sorted(d.required | d.optional)
]


def param_names(param: click.Parameter) -> list[str]:
    """How a command-line parameter is written: its option strings, or `NAMES`."""
    if isinstance(param, click.Option):
        return [*param.opts, *param.secondary_opts]
    return [param.human_readable_name]


def command_params(command: click.Command) -> list[click.Parameter]:
    """The parameters of a command, or of every subcommand of a group."""
    if isinstance(command, click.Group):
        return [p for sub in command.commands.values() for p in command_params(sub)]
    return list(command.params)


COMMANDS = sorted(cli.commands)
COMMAND_PARAMS = [
    pytest.param(name, text, id=f"{name}:{text}")
    for name, command in sorted(cli.commands.items())
    for param in command_params(command)
    for text in param_names(param)
]
GLOBAL_OPTIONS = [text for param in cli.params for text in param_names(param)]
RUN_RECORD_FIELDS = [f.name for f in dataclasses.fields(RunRecord)]


@functools.cache
def read(name: str) -> str:
    """A docs page, or a clear failure when it does not exist."""
    path = DOCS / name
    if not path.exists():
        pytest.fail(f"docs/{name} is missing")
    return path.read_text(encoding="utf-8")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    lines, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code:
            lines.append(line)
    return lines


def section(text: str, heading: str) -> str | None:
    """The text under `heading` (a whole line), up to the next heading of its level or above."""
    level = len(heading) - len(heading.lstrip("#"))
    body: list[str] | None = None
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        match = None if in_code else HEADING.match(line)
        if body is not None:
            if match and len(match[1]) <= level:
                break
            body.append(line)
        elif line.strip() == heading:
            body = []
    return None if body is None else "\n".join(body)


def headings_and_rows(text: str) -> list[str]:
    """Heading lines and table rows outside code blocks."""
    return [line for line in prose_lines(text) if line.startswith(("#", "|"))]


def row(text: str, first_cell: str) -> str | None:
    """The table row whose first cell is `first_cell`."""
    return next((ln for ln in prose_lines(text) if ln.startswith(f"| {first_cell} |")), None)


def code_blocks(text: str, language: str) -> list[str]:
    """The contents of the fenced code blocks marked with `language`."""
    return [body for lang, body in FENCE.findall(text) if lang == language]


def load_example(text: str) -> Any:
    """A YAML example, parsed as `ogd` parses pipelines (YAML 1.2)."""
    return YAML(typ="safe", pure=True).load(text)


def subheadings(text: str) -> list[str]:
    """The backticked names of the `###` headings in `text`."""
    return [m[1] for ln in prose_lines(text) if (m := re.fullmatch(r"### `(\w+)`", ln.strip()))]


def require_section(page: str, heading: str) -> str:
    """The section, or a failure naming the missing heading."""
    found = section(read(page), heading)
    if found is None:
        pytest.fail(f"docs/{page} has no heading {heading!r}")
    return found


def assert_key(page: str, key: str) -> None:
    text = read(page)
    assert any(f"`{key}`" in line for line in headings_and_rows(text)), (
        f"docs/{page}: `{key}` appears in no heading or table row"
    )


# -- docs/settings.md -------------------------------------------------------------------


def default_text(field: dataclasses.Field[Any]) -> str:
    value = field.default
    return '`""`' if value == "" else f"`{value}`"


def type_text(field: dataclasses.Field[Any]) -> str:
    kind = field.type if isinstance(field.type, str) else field.type.__name__
    return f"`{kind}`"


@pytest.mark.parametrize("field", SETTINGS, ids=lambda f: f.name)
def test_setting_is_documented_with_its_variable(field: dataclasses.Field[Any]) -> None:
    line = row(read("settings.md"), f"`{field.name}`")
    assert line is not None, f"docs/settings.md has no table row for `{field.name}`"
    variable = f"`{ENV_PREFIX}{field.name.upper()}`"
    assert variable in line, f"the row of `{field.name}` does not name {variable}"


@pytest.mark.parametrize("field", SETTINGS, ids=lambda f: f.name)
def test_setting_type_and_default_are_current(field: dataclasses.Field[Any]) -> None:
    line = row(read("settings.md"), f"`{field.name}`") or ""
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert len(cells) >= 5, f"the row of `{field.name}` needs name, variable, type, default, text"
    assert cells[2] == type_text(field), f"`{field.name}` is of type {type_text(field)}"
    assert cells[3] == default_text(field), f"`{field.name}` defaults to {default_text(field)}"


def test_settings_page_documents_no_removed_setting() -> None:
    names = {f.name for f in SETTINGS}
    documented = re.findall(r"^\| `(\w+)` \| `OGD_\w+` \|", read("settings.md"), re.MULTILINE)
    assert documented, "docs/settings.md has no settings table"
    assert [n for n in documented if n not in names] == []


def test_settings_page_states_precedence() -> None:
    text = read("settings.md")
    assert "ogd.toml" in text and "OGD_<NAME>" in text and '{"$env": "' in text


def test_toml_examples_in_settings_page_load(tmp_path: Path) -> None:
    blocks = code_blocks(read("settings.md"), "toml")
    assert blocks, "docs/settings.md has no ogd.toml example"
    for number, block in enumerate(blocks):
        path = tmp_path / f"example-{number}.toml"
        path.write_text(block, encoding="utf-8")
        secrets = re.findall(r'"\$env"\s*=\s*"(\w+)"', block)
        load_settings(path, {name: "sqlite:///geheim.db" for name in secrets})


# -- docs/pipeline-reference.md ---------------------------------------------------------

REFERENCE = "pipeline-reference.md"


@pytest.mark.parametrize("key", sorted(spec.TOP_KEYS))
def test_top_level_key_is_documented(key: str) -> None:
    assert_key(REFERENCE, key)
    assert section(read(REFERENCE), f"## `{key}`") is not None, f"no section ## `{key}`"


@pytest.mark.parametrize("key", sorted(spec.METADATA_KEYS))
def test_metadata_key_is_documented(key: str) -> None:
    assert row(require_section(REFERENCE, "## `metadata`"), f"`{key}`"), (
        f"docs/{REFERENCE}: no table row for metadata key `{key}`"
    )


@pytest.mark.parametrize("key", PRIVACY_KEYS)
def test_privacy_key_is_documented(key: str) -> None:
    privacy = require_section(REFERENCE, "## `privacy`")
    assert any(f"`{key}`" in line for line in headings_and_rows(privacy)), (
        f"docs/{REFERENCE}: `{key}` is not in a heading or table row of the privacy section"
    )


@pytest.mark.parametrize("role", privacy.ROLES)
def test_privacy_role_is_documented(role: str) -> None:
    assert row(require_section(REFERENCE, "## `privacy`"), f"`{role}`"), (
        f"docs/{REFERENCE}: no table row for the role `{role}`"
    )


def privacy_examples() -> list[Any]:
    """The parsed YAML examples with a `privacy` section, in the reference and the guide."""
    texts = [require_section(REFERENCE, "## `privacy`"), read(PRIVACY_GUIDE)]
    examples = [load_example(block) for text in texts for block in code_blocks(text, "yaml")]
    return [e for e in examples if isinstance(e, dict) and "privacy" in e]


def test_privacy_examples_parse() -> None:
    examples = privacy_examples()
    assert len(examples) >= 4, "the privacy docs need examples of each kind of protection"
    for number, example in enumerate(examples):
        w = Walker(f"privacy example {number}")
        privacy.parse_privacy(w, example)
        assert [str(e) for e in w.errors] == [], f"privacy example {number} does not parse"


def test_privacy_examples_cover_each_protection() -> None:
    sections = [e["privacy"] for e in privacy_examples()]
    for key in ("microdata", "small_cells", "pseudonymise"):
        assert any(key in s for s in sections), f"no privacy example uses `{key}`"
    rules = {
        kind
        for s in sections
        for rule in s.get("microdata", {}).get("quasi_identifiers", {}).values()
        for kind in rule
    }
    assert rules >= {"bands", "hierarchy"}, "the microdata examples need bands and a hierarchy"


def test_privacy_guide_shows_real_pipelines() -> None:
    shown = [
        (m[1], load_example(block)["privacy"])
        for block in code_blocks(read(PRIVACY_GUIDE), "yaml")
        if (m := SHOWN_PIPELINE.match(block))
    ]
    assert shown, f"docs/{PRIVACY_GUIDE} shows no pipeline's privacy section"
    for slug, section_shown in shown:
        path = ROOT / "pipelines" / f"{slug}.yaml"
        real = load_example(path.read_text(encoding="utf-8"))["privacy"]
        assert section_shown == real, f"docs/{PRIVACY_GUIDE}: the privacy of `{slug}` differs"


@pytest.mark.parametrize("key", sorted(privacy.PRIVACY_KEYS))
def test_privacy_guide_names_the_key(key: str) -> None:
    assert f"`{key}`" in read(PRIVACY_GUIDE), f"docs/{PRIVACY_GUIDE} does not mention `{key}`"


@pytest.mark.parametrize(
    ("where", "key"),
    [("source", k) for k in SOURCE_KEYS] + [("tables", k) for k in TABLE_KEYS],
)
def test_structural_key_is_documented(where: str, key: str) -> None:
    assert row(require_section(REFERENCE, f"## `{where}`"), f"`{key}`"), (
        f"docs/{REFERENCE}: no table row for `{where}.{key}`"
    )


@pytest.mark.parametrize("value", [*spec.FREQUENCIES, *spec.OUTPUTS, *walker.LANGUAGES])
def test_allowed_value_is_documented(value: str) -> None:
    assert f"`{value}`" in read(REFERENCE), f"docs/{REFERENCE} does not mention `{value}`"


@pytest.mark.parametrize("kind", sorted(READERS))
def test_source_kind_has_a_section(kind: str) -> None:
    source = require_section(REFERENCE, "## `source`")
    assert kind in subheadings(source), f"docs/{REFERENCE}: no ### `{kind}` under source"


@pytest.mark.parametrize(("kind", "option"), READER_OPTIONS)
def test_source_option_is_documented(kind: str, option: str) -> None:
    kind_section = section(require_section(REFERENCE, "## `source`"), f"### `{kind}`") or ""
    assert row(kind_section, f"`{option}`"), (
        f"docs/{REFERENCE}: no table row for option `{option}` of source kind `{kind}`"
    )


@pytest.mark.parametrize("kind", sorted(READERS))
def test_source_examples_use_the_options_of_their_kind(kind: str) -> None:
    body = section(require_section(REFERENCE, "## `source`"), f"### `{kind}`") or ""
    examples = code_blocks(body, "yaml")
    assert examples, f"docs/{REFERENCE}: the section of source kind `{kind}` has no example"
    reader = READERS[kind]
    allowed = reader.required | reader.optional | {"kind", "schema"}
    for example in examples:
        source = load_example(example)["source"]
        assert source["kind"] == kind
        assert set(source) <= allowed, f"unknown keys in a `{kind}` source example"
        assert reader.required <= set(source), f"required keys missing in a `{kind}` example"


@pytest.mark.parametrize("kind", sorted(STEPS))
def test_step_kind_has_a_section_with_an_example(kind: str) -> None:
    steps = require_section(REFERENCE, "## `steps`")
    body = section(steps, f"### `{kind}`")
    assert body is not None, f"docs/{REFERENCE}: no ### `{kind}` under steps"
    examples = code_blocks(body, "yaml")
    assert examples, f"docs/{REFERENCE}: the section of `{kind}` has no YAML example"
    allowed = STEPS[kind].required | STEPS[kind].optional | {"kind"}
    for example in examples:
        for item in load_example(example):
            assert item["kind"] == kind
            assert set(item) <= allowed, f"unknown keys in the `{kind}` example"
            assert STEPS[kind].required <= set(item), f"required keys missing in `{kind}` example"


@pytest.mark.parametrize(("kind", "key", "required"), STEP_KEYS)
def test_step_key_is_documented(kind: str, key: str, required: bool) -> None:
    body = section(require_section(REFERENCE, "## `steps`"), f"### `{kind}`") or ""
    line = row(body, f"`{key}`")
    assert line is not None, f"docs/{REFERENCE}: no table row for `{key}` of step `{kind}`"
    expected = "yes" if required else "no"
    assert line.split("|")[2].strip() == expected, (
        f"docs/{REFERENCE}: `{key}` of step `{kind}` must be marked required: {expected}"
    )


@pytest.mark.parametrize(("key", "known"), [("source", READERS), ("steps", STEPS)])
def test_reference_documents_no_removed_kind(key: str, known: dict[str, Any]) -> None:
    documented = subheadings(require_section(REFERENCE, f"## `{key}`"))
    assert [kind for kind in documented if kind not in known] == []


# -- docs/api.md ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_action_is_documented_with_examples(name: str) -> None:
    actions = require_section("api.md", "## Actions")
    body = section(actions, f"### `{name}`")
    assert body is not None, f"docs/api.md has no heading ### `{name}`"
    assert "curl" in body and f"/action/{name}" in body, f"no curl example for `{name}`"
    assert f"ckan.action.{name}(" in body, f"no ckanapi example for `{name}`"


def test_api_page_documents_no_removed_action() -> None:
    assert [
        n for n in subheadings(require_section("api.md", "## Actions")) if n not in ACTIONS
    ] == []


@pytest.mark.parametrize("status", ["409", "404", "403", "400", "500"])
def test_api_error_status_is_documented(status: str) -> None:
    assert row(require_section("api.md", "## Errors"), status), f"no row for HTTP {status}"


# -- docs/cli.md ------------------------------------------------------------------------

CLI_PAGE = "cli.md"


def command_section(name: str) -> str:
    return require_section(CLI_PAGE, f"## `ogd {name}`")


def names_in_rows(text: str) -> list[str]:
    """The backticked options (`-q`, `--dry-run`) and arguments (`NAMES`) in first cells."""
    first_cells = [ln.split("|")[1] for ln in prose_lines(text) if ln.startswith("| ")]
    return [n for cell in first_cells for n in re.findall(r"`(-[-\w]+|[A-Z][A-Z_]*)`", cell)]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_a_section_with_an_example(name: str) -> None:
    examples = "\n".join(code_blocks(command_section(name), "console"))
    assert re.search(rf"^\$ ogd {name}( |$)", examples, re.MULTILINE), (
        f"docs/{CLI_PAGE}: the section of `ogd {name}` has no example `$ ogd {name} …`"
    )


@pytest.mark.parametrize(("name", "option"), COMMAND_PARAMS)
def test_command_option_is_documented(name: str, option: str) -> None:
    assert option in names_in_rows(command_section(name)), (
        f"docs/{CLI_PAGE}: no table row names `{option}` in the section of `ogd {name}`"
    )


@pytest.mark.parametrize("option", GLOBAL_OPTIONS)
def test_global_option_is_documented(option: str) -> None:
    assert option in names_in_rows(require_section(CLI_PAGE, "## Global options")), (
        f"docs/{CLI_PAGE}: no table row names the global option `{option}`"
    )


def test_cli_page_documents_no_removed_command() -> None:
    documented = re.findall(r"^## `ogd ([\w-]+)`$", read(CLI_PAGE), re.MULTILINE)
    assert documented, f"docs/{CLI_PAGE} has no section ## `ogd <command>`"
    assert [name for name in documented if name not in cli.commands] == []


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_page_documents_no_removed_option(name: str) -> None:
    known = {text for param in command_params(cli.commands[name]) for text in param_names(param)}
    assert [n for n in names_in_rows(command_section(name)) if n not in known] == []


def example_problems(line: str) -> list[str]:
    """What is wrong with one `$ ogd …` example line: unknown commands and options."""
    words = shlex.split(line.removeprefix("$ "))[1:]
    allowed, problems, command = {*GLOBAL_OPTIONS, "--help"}, [], None
    for word in words:
        if word.startswith("-") and word not in allowed:
            problems.append(f"`{word}` in `{line}`")
        elif not word.startswith("-") and command is None and word in cli.commands:
            command = cli.commands[word]
            allowed = {"--help", *(t for p in command.params for t in param_names(p))}
        elif isinstance(command, click.Group) and word in command.commands:
            command = command.commands[word]
            allowed = {"--help", *(t for p in command.params for t in param_names(p))}
    if command is None and "--help" not in words:
        problems.append(f"no command in `{line}`")
    return problems


@pytest.mark.parametrize("page", [CLI_PAGE, "adding-a-dataset.md"])
def test_command_examples_use_existing_commands_and_options(page: str) -> None:
    lines = [
        line
        for block in code_blocks(read(page), "console")
        for line in block.splitlines()
        if line.startswith("$ ogd ")
    ]
    assert lines, f"docs/{page} has no `$ ogd …` example"
    assert [problem for line in lines for problem in example_problems(line)] == []


@pytest.mark.parametrize("code", ["0", "1", "2"])
def test_exit_code_is_documented(code: str) -> None:
    assert row(require_section(CLI_PAGE, "## Exit codes"), code), f"no row for exit code {code}"


@pytest.mark.parametrize("outcome", sorted(OUTCOME_STYLE))
def test_run_outcome_is_documented(outcome: str) -> None:
    assert row(command_section("run"), f"`{outcome}`"), f"no row for the outcome `{outcome}`"


@pytest.mark.parametrize("field", RUN_RECORD_FIELDS)
def test_run_record_field_is_documented(field: str) -> None:
    assert row(require_section(CLI_PAGE, "## Run records"), f"`{field}`"), (
        f"docs/{CLI_PAGE}: no table row for the run record field `{field}`"
    )


# -- docs/adding-a-dataset.md -----------------------------------------------------------


def test_walk_through_shows_the_real_pipeline() -> None:
    real = yaml.safe_load((ROOT / "pipelines" / "bevoelkerung-quartier.yaml").read_text("utf-8"))
    shown = [
        data
        for block in code_blocks(read("adding-a-dataset.md"), "yaml")
        if isinstance(data := yaml.safe_load(block), dict) and "source" in data
    ]
    assert shown == [real], (
        "docs/adding-a-dataset.md must show pipelines/bevoelkerung-quartier.yaml"
    )
