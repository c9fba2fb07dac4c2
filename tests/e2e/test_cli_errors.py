"""The CLI turns every SiteError into `error: …` lines and exit status 1 in one place
(cli.main); a command adds what else the user should know as a note."""
from __future__ import annotations

import pytest
from conftest import article, make_site

from site_builder import cli
from site_builder.core.errors import BuildErrors, ConfigError, DeployError, SiteError


def test_a_failed_build_names_every_error_then_says_nothing_was_written(tmp_path, capsys):
    site = make_site(tmp_path / "s", {"content/a.md": article("A", "2024-13-45"),
                                      "content/b.md": article("B", "yesterday")})
    assert cli.main(["build", "--site", str(site), "--quiet"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("error: content/a.md:3: date: '2024-13-45' is not a date")
    assert lines[1].startswith("error: content/b.md:3: date: 'yesterday' is not a date")
    assert lines[2:] == ["Nothing was written: the previous output/ is unchanged."]
    assert not (site / "output").exists()


def test_another_command_s_error_has_no_build_note(tmp_path, capsys):
    site = make_site(tmp_path / "s", {}, config="titel = 'T'\n")
    assert cli.main(["check", "--site", str(site)]) == 1
    assert capsys.readouterr().err == "error: site.toml: unknown key 'titel' (did you mean 'title'?)\n"


@pytest.mark.parametrize("error", [ConfigError("site.toml: x"), DeployError("git push failed"),
                                   BuildErrors([SiteError("one"), SiteError("two")])])
def test_any_site_error_of_any_command_is_reported_by_main(monkeypatch, capsys, error):
    def fails(site_dir, *args, **kwargs):
        raise error

    monkeypatch.setattr("site_builder.commands.pinning.pin_site", fails)
    assert cli.main(["pin"]) == 1
    assert capsys.readouterr().err == "".join(f"error: {line}\n" for line in str(error).splitlines())


def test_every_site_error_class_is_declared_in_core_errors():
    """So errors.py's docstring draws the whole hierarchy."""
    import importlib
    import pkgutil

    import site_builder
    from site_builder.core import errors

    for module in pkgutil.walk_packages(site_builder.__path__, "site_builder."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    classes, seen = [SiteError], []
    while classes:
        seen.append(classes.pop())
        classes.extend(seen[-1].__subclasses__())
    assert {c.__module__ for c in seen} == {errors.__name__}
    assert all(c.__name__ in errors.__doc__ for c in seen)
