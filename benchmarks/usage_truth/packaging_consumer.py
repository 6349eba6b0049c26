# ruff: noqa
"""A consumer of packaging, written for the usage benchmark (21.3 -> 22.0)."""
import packaging
from packaging import version
from packaging import tags
from packaging.version import Version, parse, InvalidVersion
from packaging.version import LegacyVersion
from packaging.specifiers import SpecifierSet, Specifier
from packaging.specifiers import LegacySpecifier
from packaging.requirements import Requirement
from packaging.markers import Marker
from packaging.utils import canonicalize_name, parse_wheel_filename

v = Version('1.2.3')
print(v.major, v.minor, v.micro, v.base_version, v.is_prerelease)
legacy = LegacyVersion('2004d')
also_legacy = version.LegacyVersion('abc')
loose = parse('not-a-version')
print(parse('1.0').public, version.parse('2.0rc1').pre)
spec = SpecifierSet('>=1.0,<2', prereleases=False)
print(spec.contains('1.5', prereleases=False))
print(list(spec.filter(['1.0', '2.5'], prereleases=True)))
one = Specifier('>=1.0')
print(one.operator, one.version, one.contains('1.1'))
lspec = LegacySpecifier('>=abc')
req = Requirement('requests[socks]>=2.0; python_version>"3"')
print(req.name, sorted(req.extras), req.marker, req.specifier)
m = Marker('python_version >= "3"')
print(m.evaluate({'python_version': '3.11'}))
print(canonicalize_name('Foo_Bar'))
print(parse_wheel_filename('pkg-1.0-py3-none-any.whl')[0])
print(next(iter(tags.sys_tags())))
print(spec.contains(Version('1.1')), packaging.__version__ is not None)
versions = sorted([parse('1.0'), parse('0.9'), parse('1.0.post1')])
print(versions[0].release, isinstance(version.parse('1'), version.Version))
print(tags.Tag('py3', 'none', 'any').interpreter)


def newest(candidates, allowed: SpecifierSet):
    return max(allowed.filter(candidates))


def describe(ver: Version):
    return ver.local, ver.dev, ver.epoch


print(newest(['1.0', '1.9'], SpecifierSet('<2')))
print(describe(Version('1.0+local')))
try:
    parse('???')
except InvalidVersion:
    print('invalid')
