"""Passes that belong to a backend live in its package; hlox-opt offers them through
the ``hlox.passes`` entry-point group, and the passes layer imports no backend."""

from __future__ import annotations

import subprocess
import sys


def test_hlox_opt_lists_the_cpu_backends_passes_without_importing_it_first():
    code = ("import sys\n"
            "import hlox.passes, hlox.passes.opt_main\n"
            "assert not [m for m in sys.modules if m.startswith('hlox.backends')], "
            "'hlox.passes imported a backend'\n"
            "sys.exit(hlox.passes.opt_main.main(['--list-passes']))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    for name in ("hlox-cpu-emit-c-interface", "hlox-cpu-vectorize-contractions",
                 "hlox-cpu-math-approximations", "hlox-cpu-reassociate-reductions",
                 "hlox-cpu-results-in-place", "hlox-drop-sdy"):
        assert f"--{name}:" in out.stdout


def test_a_broken_provider_warns_and_the_others_load(monkeypatch):
    from importlib import metadata

    import pytest

    from hlox.passes import python_passes

    real = metadata.entry_points

    def entry_points(**kwargs):
        if kwargs.get("group") == python_passes.PROVIDER_GROUP:
            return [metadata.EntryPoint("broken", "hlox_no_such_pass_module",
                                        python_passes.PROVIDER_GROUP),
                    metadata.EntryPoint("cpu", "hlox.backends.cpu.passes",
                                        python_passes.PROVIDER_GROUP)]
        return real(**kwargs)

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    with pytest.warns(RuntimeWarning, match="pass provider 'broken'.*hlox_no_such_pass_module"):
        python_passes.load_providers()
    assert python_passes.lookup("hlox-cpu-results-in-place") is not None
