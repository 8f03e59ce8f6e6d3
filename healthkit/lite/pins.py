"""Every input of a Lite site, pinned by version and SHA-256: the one place to change them.

A Lite site is JupyterLab (from ``jupyterlite-core``) with a Python kernel that runs in the
browser (Pyodide, through ``jupyterlite-pyodide-kernel``). Building one downloads:

- :data:`PYODIDE`: Pyodide's core files, from the npm registry's tarball of the version the
  kernel expects (its ``constants.PYODIDE_VERSION``). The tarball has no package wheels.
- :data:`WHEELS`: pure-Python wheels from PyPI, each with the jobs it does:

  ``tool``      runs on the builder's Python to assemble the site (JupyterLite and its
                dependencies that a healthkit install does not already bring);
  ``frontend``  its JupyterLab extension is copied into the site (widget front ends);
  ``runtime``   shipped in the site and listed in Pyodide's lock file, so the kernel loads it
                from the site, never from the network.

Runtime wheels that Pyodide's own lock lists keep Pyodide's version (its ``imports`` and
``depends`` too; only the file name and hash change, since PyPI's build differs from
Pyodide's). Wheels new to the lock say what they provide (``imports``) and need
(``depends``, lock names). healthkit's own wheel is made from the installed package at build
time (:mod:`healthkit.lite.wheel`); it depends on :data:`HEALTHKIT_DEPENDS`.

To update: change a version here, run ``healthkit lite --download-only`` with the new file
name and hash (it reports a mismatch with the hash it found), and run the Lite browser test.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping

Role = Literal["tool", "frontend", "runtime"]

#: Python version inside Pyodide: runtime wheels are chosen for it.
PYODIDE_PYTHON = "3.14"


@dataclass(frozen=True)
class NpmTarball:
    name: str
    version: str
    url: str
    sha256: str
    #: Files taken from the tarball's ``package/`` folder, each with its SHA-256. A local copy
    #: (``--pyodide PATH``) is checked against these, whatever form it comes in.
    files: Mapping[str, str]


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str
    filename: str
    sha256: str
    roles: frozenset[Role]
    #: Top-level import names, for wheels that Pyodide's lock does not list.
    imports: tuple[str, ...] = ()
    #: Lock names this wheel needs at run time, for wheels that Pyodide's lock does not list.
    depends: tuple[str, ...] = ()

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version} --hash=sha256:{self.sha256}"


def _wheel(name: str, version: str, filename: str, sha256: str, *roles: Role, imports: tuple[str, ...] = (), depends: tuple[str, ...] = ()) -> Wheel:
    return Wheel(name, version, filename, sha256, frozenset(roles), imports, depends)


PYODIDE = NpmTarball(
    name="pyodide",
    version="314.0.6",
    url="https://registry.npmjs.org/pyodide/-/pyodide-314.0.6.tgz",
    sha256="d78ac549b28a2a58600cd06f44e017024151775f8c6b2d73fab1475400d38ea2",
    files=MappingProxyType(
        {
            "pyodide.mjs": "69e3f6ccec3e14b465df60be577ca62f536251406b9a00cce019eac5252a2495",
            "pyodide.asm.mjs": "2ac5eba365ec12839c75c03b39b3be1dd63b798852cc460b014b52238be042f7",
            "pyodide.asm.wasm": "3a0a00dfeaa348ac20f9ef09904233d32d33f644339662d4af368f8a2010f37a",
            "python_stdlib.zip": "80c5be6babfe03297069703410c3c29404dcf2525d2b128746bae5536f94831f",
            "pyodide-lock.json": "3fdaef09e9e365c85e002737720f8d0ab8f278c1c244a2dde6a37663cf488ad4",
        }
    ),
)

_WHEELS = (
    # -- the site builder ------------------------------------------------------------------
    _wheel("jupyterlite-core", "0.8.6", "jupyterlite_core-0.8.6-py3-none-any.whl",
           "2c77f7ca2a667e5404800632abedbc83d3edb9cc73303aa357016138e94e7aaa", "tool"),
    _wheel("jupyterlite-pyodide-kernel", "0.8.6", "jupyterlite_pyodide_kernel-0.8.6-py3-none-any.whl",
           "c9e698420e7f95f156c09c1474898ee6727b35b1740b369cb5f5aaa59ea73d3f", "tool", "frontend"),
    _wheel("doit", "0.36.0", "doit-0.36.0-py3-none-any.whl",
           "ebc285f6666871b5300091c26eafdff3de968a6bd60ea35dd1e3fc6f2e32479a", "tool"),
    _wheel("cloudpickle", "3.1.3", "cloudpickle-3.1.3-py3-none-any.whl",
           "1654f4f18e416447210a63c5c25a135d65a292156aa5fa519dfa4baf7726dddb", "tool"),
    _wheel("importlib-metadata", "8.9.0", "importlib_metadata-8.9.0-py3-none-any.whl",
           "e0f761b6ea91ced3b0844c14c9d955224d538105921f8e6754c00f6ca79fba7f", "tool"),
    _wheel("zipp", "4.1.2", "zipp-4.1.2-py3-none-any.whl",
           "b30cb6cd253122169c47de245ca24a86bac2a5d3802ba15bf7ba6414eb9e144d", "tool"),
    _wheel("pkginfo", "1.13.3", "pkginfo-1.13.3-py3-none-any.whl",
           "66520cd19fddf3faa9554d68dcc0e6801944275bf612e8b581dfba968a9b4cc9", "tool"),
    # -- widget front ends (JupyterLab extensions inside the wheels) -------------------------
    _wheel("jupyterlab-widgets", "3.0.17", "jupyterlab_widgets-3.0.17-py3-none-any.whl",
           "40ac1e9955acf116c4d995d9bfa082d86ad9ec6d91c4f134827cf5e0a5eb75e0", "frontend"),
    # -- inside the browser: the kernel's needs (versions as Pyodide's lock has them) --------
    _wheel("micropip", "0.11.1", "micropip-0.11.1-py3-none-any.whl",
           "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3", "runtime"),
    _wheel("packaging", "26.1", "packaging-26.1-py3-none-any.whl",
           "5d9c0669c6285e491e0ced2eee587eaf67b670d94a19e94e3984a481aba6802f", "runtime"),
    _wheel("ipython", "9.12.0", "ipython-9.12.0-py3-none-any.whl",
           "0f2701e8ee86e117e37f50563205d36feaa259d2e08d4a6bc6b6d74b18ce128d", "runtime"),
    _wheel("asttokens", "3.0.1", "asttokens-3.0.1-py3-none-any.whl",
           "15a3ebc0f43c2d0a50eeafea25e19046c68398e487b9f1f5b517f7c0f40f976a", "runtime"),
    _wheel("decorator", "5.2.1", "decorator-5.2.1-py3-none-any.whl",
           "d316bb415a2d9e2d2b3abcc4084c6502fc09240e292cd76a76afc106a1c8e04a", "runtime"),
    _wheel("executing", "2.2.1", "executing-2.2.1-py2.py3-none-any.whl",
           "760643d3452b4d777d295bb167ccc74c64a81df23fb5e08eff250c425a4b2017", "runtime"),
    _wheel("matplotlib-inline", "0.2.1", "matplotlib_inline-0.2.1-py3-none-any.whl",
           "d56ce5156ba6085e00a9d54fead6ed29a9c47e215cd1bba2e976ef39f5710a76", "runtime"),
    _wheel("prompt-toolkit", "3.0.52", "prompt_toolkit-3.0.52-py3-none-any.whl",
           "9aac639a3bbd33284347de5ad8d68ecc044b91a762dc39b7c21095fcd6a19955", "runtime"),
    _wheel("pure-eval", "0.2.3", "pure_eval-0.2.3-py3-none-any.whl",
           "1db8e35b67b3d218d818ae653e27f06c3aa420901fa7b081ca98cbedc874e0d0", "runtime"),
    _wheel("pygments", "2.20.0", "pygments-2.20.0-py3-none-any.whl",
           "81a9e26dd42fd28a23a2d169d86d7ac03b46e2f8b59ed4698fb4785f946d0176", "runtime"),
    _wheel("six", "1.17.0", "six-1.17.0-py2.py3-none-any.whl",
           "4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274", "runtime"),
    _wheel("stack-data", "0.6.3", "stack_data-0.6.3-py3-none-any.whl",
           "d5558e0c25a4cb0853cddad3d77da9891a08cb85dd9f9f91b9f8cd66e511e695", "runtime"),
    _wheel("traitlets", "5.14.3", "traitlets-5.14.3-py3-none-any.whl",
           "b74e89e397b1ed28cc831db7aea759ba6640cb3de13090ca145426688ff1ac4f", "runtime"),
    _wheel("wcwidth", "0.6.0", "wcwidth-0.6.0-py3-none-any.whl",
           "1a3a1e510b553315f8e146c54764f4fb6264ffad731b3d78088cdb1478ffbdad", "runtime"),
    _wheel("jedi", "0.19.2", "jedi-0.19.2-py2.py3-none-any.whl",
           "a8ef22bde8490f57fe5c7681a3c83cb58874daf72b4784de3cce5b6ef6edb5b9", "runtime"),
    _wheel("parso", "0.8.6", "parso-0.8.6-py2.py3-none-any.whl",
           "2c549f800b70a5c4952197248825584cb00f033b29c692671d3bf08bf380baff", "runtime"),
    _wheel("typing-extensions", "4.15.0", "typing_extensions-4.15.0-py3-none-any.whl",
           "f0fa19c6845758ab08074a0cfa8b7aecb71c999ca73d62883bc25cc018c4e548", "runtime"),
    # -- inside the browser: what a lesson imports -------------------------------------------
    _wheel("ruamel.yaml", "0.19.1", "ruamel_yaml-0.19.1-py3-none-any.whl",
           "27592957fedf6e0b62f281e96effd28043345e0e66001f97683aa9a40c667c93", "runtime"),
    _wheel("comm", "0.2.3", "comm-0.2.3-py3-none-any.whl",
           "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417", "runtime",
           imports=("comm",)),
    _wheel("ipywidgets", "8.1.9", "ipywidgets-8.1.9-py3-none-any.whl",
           "f2b8cbcaae10252b809fbe4d7470db75c09b769a32cbf816d20e5ca6d3c5a79d", "runtime",
           imports=("ipywidgets",), depends=("comm", "ipython", "traitlets")),
    _wheel("psygnal", "0.16.1", "psygnal-0.16.1-py3-none-any.whl",
           "93b96894d8c46f0a3c0bfaaf8abe73f0d6db2c20cc6d303624cf08f85abc3c92", "runtime",
           imports=("psygnal",), depends=("typing-extensions",)),
    _wheel("anywidget", "0.11.0", "anywidget-0.11.0-py3-none-any.whl",
           "c574d9acc6503ad27b37a9acea48f957a8ba7c9c9876cfcb37898931c098ce9d", "runtime", "frontend",
           imports=("anywidget",), depends=("ipywidgets", "psygnal", "typing-extensions")),
)

WHEELS: Mapping[str, Wheel] = MappingProxyType({w.name: w for w in _WHEELS})

#: What healthkit's own wheel needs in the browser: what a lesson imports, no more.
HEALTHKIT_DEPENDS: tuple[str, ...] = ("anywidget", "ipywidgets", "ruamel.yaml", "traitlets")


def wheels(role: Role) -> tuple[Wheel, ...]:
    return tuple(w for w in _WHEELS if role in w.roles)
