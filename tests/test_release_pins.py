"""symbiosis.release._pins and the release commands, end to end."""

from __future__ import annotations

import json
import os
import pathlib
import re
import stat
import subprocess
import sys
import textwrap

from symbiosis import exception
from symbiosis import release
from symbiosis.release._pins import PinProblem
from symbiosis.release._pins import supported_pythons
from symbiosis.sources._releases import fetch_releases
from tests.indexserver import LocalIndexTestCase
from tests.test_release import FRIDAY
from tests.test_release import MONDAY
from tests.test_release import NOTE_OK
from tests.test_release import PYPROJECT
from tests.test_release import V1
from tests.test_release import Repo
from tests.test_release import git_env

DOC = pathlib.Path(__file__).parent.parent / 'doc/source/user/release.rst'


def whl(name: str, version: str, tag: str = 'py3-none-any') -> str:
    return f'{name}-{version}-{tag}.whl'


class PinsTestCase(LocalIndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        dist = self.make_dist('good', '1.0', {'good/__init__.py': 'X = 1\n'})
        self.index.add_json_entries('good', [
            {'filename': dist.wheel.name}, {'filename': dist.sdist.name},
            {'filename': whl('good', '1.1'), 'yanked': True},
        ])
        self.index.add_file(dist.wheel)
        self.index.add_json_entries('yanked', [
            {'filename': whl('yanked', '1.0'), 'yanked': 'broken build'},
        ])
        self.index.add_json_entries(
            'deleted', [{'filename': whl('deleted', '1.0')}],
            versions=['1.0', '2.0'])
        self.index.add_json_entries('old', [{'filename': whl(
            'old', '1.0', 'cp38-cp38-manylinux_2_17_x86_64')}])
        self.index.add_json_entries('stable', [{'filename': whl(
            'stable', '1.0', 'cp38-abi3-manylinux_2_17_x86_64')}])
        self.index.add_json_entries('picky', [
            {'filename': 'picky-1.0.tar.gz', 'requires-python': '<3.9'}])
        self.index.add_json_entries('gone', [
            {'filename': whl('gone', '1.0'), 'yanked': True},
            {'filename': whl('gone', '1.1'), 'yanked': 'oops'},
        ])

    def write(self, rel: str, text: str) -> pathlib.Path:
        path = self.tmp / 'proj' / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding='utf-8')
        return path

    def by_line(self, problems: list[PinProblem]) -> dict[int, str]:
        return {p.line or 0: p.problem for p in problems}


class TestPins(PinsTestCase):
    def test_requirements_file(self) -> None:
        req = self.write('requirements.txt', '''\
            # a comment
            good==1.0  # trailing comment
            yanked==1.0
            deleted==2.0
            old==1.0
            stable==1.0
            nosuch==1.0
            good==9.9
            good==1.*
            good>=5
            gone>=1
            good[extra]==1.0 ; python_version < "3.0"
            this is not valid!!
            --index-url http://127.0.0.1:1/simple
            good \\
                ==1.0
            good==1.0 --hash=sha256:abcd
            -e ./local
            picky==1.0
            -r more.txt
            -c constraints.txt
            ''')
        self.write('more.txt', 'yanked==1.0\n')
        self.write('constraints.txt', '\n\nold==1.0\n')
        problems = release.check_pins([req], config=self.config(),
                                      pythons=['3.11'])
        self.assertEqual(
            {3: 'yanked', 4: 'missing', 5: 'no-compatible-files',
             7: 'missing', 8: 'missing', 10: 'no-match', 11: 'no-match',
             13: 'invalid', 14: 'ignored', 18: 'ignored',
             19: 'no-compatible-files'},
            self.by_line([p for p in problems if p.file == str(req)]),
        )
        details = {p.line: p.detail for p in problems}
        self.assertEqual('yanked 1.0 is yanked: broken build', details[3])
        self.assertIn('deleted 2.0 was deleted', details[4])
        self.assertIn('has no file for Python 3.11', details[5])
        self.assertIn("no project named 'nosuch'", details[7])
        self.assertIn('good has no release 9.9', details[8])
        self.assertIn('no release of good matches >=5', details[10])
        self.assertIn('every release of gone matching >=1 is yanked',
                      details[11])
        included = [(pathlib.Path(p.file or '').name, p.line, p.problem)
                    for p in problems if p.file != str(req)]
        self.assertEqual([('constraints.txt', 3, 'no-compatible-files'),
                          ('more.txt', 1, 'yanked')], sorted(included))
        data = problems[0].to_json()
        self.assertEqual({'requirement', 'problem', 'detail', 'file',
                          'line'}, set(data))

    def test_supported_pythons_from_requires_python(self) -> None:
        self.assertEqual(('3.12', '3.13', '3.14'),
                         supported_pythons('>=3.12'))
        self.write('pyproject.toml', '''\
            [project]
            name = "proj"
            requires-python = ">=3.8,<3.9"
            dependencies = ["old==1.0", "yanked==1.0", "picky==1.0"]

            [project.optional-dependencies]
            extra = ["good>=5"]

            [build-system]
            requires = ["good"]
            ''')
        problems = release.check_pins(
            [self.tmp / 'proj' / 'pyproject.toml'], config=self.config()
        )
        # cp38-only wheels and a <3.9 sdist are fine for Python 3.8.
        self.assertEqual({4: 'yanked', 7: 'no-match'},
                         self.by_line(problems))

    def test_supported_pythons_from_setup_cfg(self) -> None:
        # Every spelling setup.cfg may use, in either section.
        req = self.write('requirements.txt', 'old==1.0\n')
        problems = release.check_pins([req], config=self.config())
        self.assertEqual({1: 'no-compatible-files'}, self.by_line(problems))
        for section in ('options', 'metadata'):
            for key in ('python_requires', 'requires_python',
                        'requires-python'):
                self.write('setup.cfg',
                           f'[{section}]\n{key} = >=3.8,<3.9\n')
                problems = release.check_pins([req], config=self.config())
                self.assertEqual([], problems, (section, key))

    def test_offline_checks_only_syntax(self) -> None:
        req = self.write('requirements.txt', 'yanked==1.0\n===\n')
        problems = release.check_pins([req], config=self.config(),
                                      offline=True)
        self.assertEqual({2: 'invalid'}, self.by_line(problems))
        self.assertEqual([], self.index.requests)

    def test_legacy_sdists_are_releases(self) -> None:
        # Releases whose only file is an sdist in an older format, or
        # whose version has a dash in the file name.
        files = {
            'tgz': 'tgz-1.0.tgz', 'bz': 'bz-1.0.tar.bz2', 'tbz': 'tbz-1.0.tbz',
            'xz': 'xz-1.0.tar.xz', 'txz': 'txz-1.0.txz',
            'zipped': 'Zipped-1.0.zip', 'tar': 'tar-1.0.tar',
            'dashed-name': 'dashed-name-1.0.tar.bz2',
            'dashed': 'dashed-1.0-1.tgz',
        }
        for project, filename in files.items():
            self.index.add_json_entries(project, [{'filename': filename}])
        req = self.write('requirements.txt', ''.join(
            f'{project}==1.0\n' for project in files if project != 'dashed'
        ) + 'dashed==1.0.post1\nbz==2.0\n')
        problems = release.check_pins([req], config=self.config(),
                                      pythons=['3.11'])
        self.assertEqual({10: 'missing'}, self.by_line(problems))
        self.assertIn('bz has no release 2.0', problems[0].detail)
        releases = fetch_releases('dashed', self.config())
        assert releases is not None
        self.assertEqual(['1.0.post1'],
                         [str(v) for v in releases.all_versions()])

    def test_unreachable_index(self) -> None:
        req = self.write('requirements.txt', 'good==1.0\n')
        err = self.assertRaises(
            exception.IndexUnreachable, release.check_pins, [req],
            config=self.config(index_url='http://127.0.0.1:9/simple'),
        )
        self.assertEqual(3, err.exit_code)

    def test_html_page_yank_reason_and_cache(self) -> None:
        self.index.routes['/simple/htmlpkg/'] = (200, 'text/html', (
            b'<html><body><a href="/files/htmlpkg-1.0.tar.gz" '
            b'data-yanked="use 1.1" data-requires-python="&gt;=3.8">'
            b'htmlpkg-1.0.tar.gz</a></body></html>'))
        releases = fetch_releases('htmlpkg', self.config())
        assert releases is not None
        [file] = releases.files
        self.assertEqual((True, 'use 1.1', '>=3.8'),
                         (file.yanked, file.yanked_reason,
                          file.requires_python))
        fetch_releases('htmlpkg', self.config())
        self.assertEqual(1, self.index.requests.count('/simple/htmlpkg/'))


def run_cli(*args: str, cwd: pathlib.Path | None = None,
            env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, '-m', 'symbiosis.cli._app', *args],
        capture_output=True, text=True, check=False, cwd=cwd,
        env=env, timeout=120,
    )


class TestCommands(PinsTestCase):
    def cli_env(self) -> dict[str, str]:
        env = git_env()
        env.update({'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'clicache'),
                    'SYMBIOSIS_INDEX_URL': self.index.url + '/simple',
                    'no_proxy': '127.0.0.1', 'NO_PROXY': '127.0.0.1',
                    'TZ': 'UTC'})
        return env

    def repo(self) -> Repo:
        repo = Repo(self.tmp / 'repo')
        tree = dict(V1)
        tree['pyproject.toml'] = PYPROJECT.format(version='1.0.0', extra='')
        tree['releasenotes/notes/a-0123456789abcdef.yaml'] = NOTE_OK
        repo.commit('initial', tree)
        return repo

    def test_pins_command(self) -> None:
        req = self.write('requirements.txt', 'good==1.0\nyanked==1.0\n!!\n')
        env = self.cli_env()
        done = run_cli('release', 'pins', str(req), '--format', 'json',
                       env=env)
        self.assertEqual(1, done.returncode, done.stderr)
        data = json.loads(done.stdout)
        self.assertEqual(
            [('yanked==1.0', 'yanked', 2), ('!!', 'invalid', 3)],
            [(p['requirement'], p['problem'], p['line'])
             for p in data['problems']],
        )
        self.assertEqual('yanked 1.0 is yanked: broken build',
                         data['problems'][0]['detail'])
        ok = self.write('ok.txt', 'good==1.0\n')
        self.assertEqual(0, run_cli('release', 'pins', str(ok),
                                    env=env).returncode)
        env['SYMBIOSIS_INDEX_URL'] = 'http://127.0.0.1:9/simple'
        done = run_cli('release', 'pins', str(ok), env=env)
        self.assertEqual(3, done.returncode, done.stderr)
        self.assertEqual(1, len(done.stderr.strip().splitlines()))
        done = run_cli('release', 'pins', str(ok), '--offline', env=env)
        self.assertEqual(0, done.returncode, done.stderr)

    def test_check_command_exit_codes(self) -> None:
        repo = self.repo()
        env = self.cli_env()
        done = run_cli('release', 'check', '--repo', str(repo.root),
                       '--date', MONDAY, '--format', 'json', env=env)
        self.assertEqual(0, done.returncode, done.stderr)
        data = json.loads(done.stdout)
        self.assertTrue(data['ok'])
        self.assertTrue(all({'check', 'severity', 'message'} <= set(p)
                            for p in data['problems']))
        repo.write({'pyproject.toml': PYPROJECT.format(
            version='1.0.0', extra='[tool.symbiosis.release]\n'
            'severity = { calendar = "error" }\n')})
        done = run_cli('release', 'check', '--repo', str(repo.root),
                       '--date', FRIDAY, '--offline', env=env)
        self.assertEqual(1, done.returncode, done.stdout)
        self.assertIn('error: calendar: 2026-11-27 (Friday', done.stdout)
        self.assertIn('release blocked', done.stdout)
        for args in (['--proposed', 'x.y'], ['--date', 'someday'],
                     ['--repo', str(self.tmp)]):
            done = run_cli('release', 'check', '--repo', str(repo.root),
                           *args, env=env)
            self.assertEqual(2, done.returncode, (args, done.stderr))
            self.assertEqual(1, len(done.stderr.strip().splitlines()))
        done = run_cli('release', 'check', '--repo', str(repo.root),
                       '--date', MONDAY, env=dict(
                           env, SYMBIOSIS_INDEX_URL='http://127.0.0.1:9/s'))
        self.assertEqual(3, done.returncode, done.stdout)

    def test_notes_command(self) -> None:
        repo = self.repo()
        repo.git('tag', '1.0.0')
        repo.commit('drop', {'tinypkg/__init__.py': '"""Empty."""\n'})
        env = self.cli_env()
        done = run_cli('release', 'notes', '--repo', str(repo.root), env=env)
        self.assertEqual(1, done.returncode, done.stdout + done.stderr)
        done = run_cli('release', 'notes', '--draft', '--repo',
                       str(repo.root), env=env)
        self.assertEqual(0, done.returncode, done.stderr)
        path = pathlib.Path(done.stdout.strip())
        self.assertTrue(path.is_file())
        self.assertRegex(path.name, r'^api-changes-[0-9a-f]{16}\.yaml$')
        done = run_cli('release', 'notes', '--repo', str(repo.root), env=env)
        self.assertEqual(0, done.returncode, done.stdout)


class TestHabits(PinsTestCase):
    def doc_block(self, name: str) -> str:
        text = DOC.read_text(encoding='utf-8')
        match = re.search(
            rf':name: {name}\n\n((?:    .*\n|\n)+)', text
        )
        assert match is not None, name
        return textwrap.dedent(match.group(1))

    def test_pre_push_hook_blocks_a_friday_tag(self) -> None:
        hook = self.doc_block('pre-push-hook')
        bare = self.tmp / 'remote.git'
        subprocess.run(['git', 'init', '-q', '--bare', str(bare)],
                       check=True, env=git_env())
        repo = Repo(self.tmp / 'repo')
        tree = dict(V1)
        # As the guide says: Friday releases are refused, not warned about.
        tree['pyproject.toml'] = PYPROJECT.format(
            version='1.0.0', extra='[tool.symbiosis.release]\n'
            'severity = { calendar = "error" }\n')
        tree['releasenotes/notes/a-0123456789abcdef.yaml'] = NOTE_OK
        repo.commit('initial', tree)
        repo.git('remote', 'add', 'origin', str(bare))
        hook_path = repo.root / '.git' / 'hooks' / 'pre-push'
        hook_path.write_text(hook, encoding='utf-8')
        hook_path.chmod(hook_path.stat().st_mode | stat.S_IEXEC)
        # ``symbiosis`` on PATH runs this interpreter's symbiosis.
        bindir = self.tmp / 'bin'
        bindir.mkdir()
        wrapper = bindir / 'symbiosis'
        wrapper.write_text(
            f'#!/bin/sh\nexec {sys.executable} -m symbiosis.cli._app "$@"\n'
        )
        wrapper.chmod(0o755)
        env = git_env()
        env.update({
            'PATH': f'{bindir}{os.pathsep}{env.get("PATH", "")}',
            'SYMBIOSIS_CACHE_DIR': str(self.tmp / 'hookcache'),
            'SYMBIOSIS_OFFLINE': '1', 'TZ': 'UTC',
        })

        def push(*args: str, date: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                ['git', '-C', str(repo.root), 'push', '-q', 'origin', *args],
                capture_output=True, text=True, check=False, timeout=120,
                env=dict(env, SYMBIOSIS_RELEASE_DATE=date),
            )

        # Branch pushes are not releases: never blocked.
        self.assertEqual(0, push('main', date=FRIDAY).returncode)
        repo.git('tag', '1.0.0')
        blocked = push('1.0.0', date=FRIDAY)
        self.assertNotEqual(0, blocked.returncode)
        self.assertIn('Friday', blocked.stdout + blocked.stderr)
        self.assertEqual('', subprocess.run(
            ['git', '-C', str(bare), 'tag'], capture_output=True, text=True,
            check=True).stdout.strip())
        done = push('1.0.0', date=MONDAY)
        self.assertEqual(0, done.returncode, done.stdout + done.stderr)

    def test_tox_env_runs_release_check(self) -> None:
        tox = (pathlib.Path(__file__).parent.parent / 'tox.ini').read_text()
        section = tox.split('[testenv:release-check]', 1)
        self.assertEqual(2, len(section))
        self.assertIn('symbiosis release check', section[1])
