"""IPv4 addresses written into host names: what reverse DNS makes of a customer's connection.

``sshd: ... rhost=5.36.59.76.dynamic-dsl-ip.example.net``, ``connection from 59.45.101.203
(dsl-static-059.45.101.203.isp.example)``, ``c-73-15-22-101.hsd1.ca.comcast.net``: an ISP's
name for a subscriber's line holds the subscriber's address, dotted or dashed, zero-padded or
not, and the plain ``ipv4`` rule rightly leaves dotted numbers alone when a name goes on after
them. Only the embedded address is replaced, with the placeholder the same address gets
elsewhere, so the LLM still sees the ISP's domain and which lines are the same client.

Private and reserved addresses stay (``ip-10-0-1-23.ec2.internal``): those names are the
operator's own nodes, kept on purpose (docs/sanitization.md, "Deliberately not redacted").
Package and file names whose version has four numbers (``lib-1.2.3.4.el7.x86_64``,
``app-10.2.0.1.Final.jar``) are not host names.
"""

from __future__ import annotations

import ipaddress
import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.pii import PII_PRIORITY

__all__ = ["hostname_rules"]

_PATTERN = r"""(?x)
    (?:(?<=[A-Za-z0-9])-                            # after "label-" (the dash is context),
      |(?<=[A-Za-z])(?=[0-9]{1,3}\.)                # glued to a label: host129.206.196.21.isp
      |(?<![0-9A-Za-z_.-]))                         # or where a name starts (rhost=, //, @)
    (?P<ip>
        [0-9]{1,3}(?P<sep>[.-])[0-9]{1,3}(?P=sep)[0-9]{1,3}(?P=sep)[0-9]{1,3}
    )
    (?P<tail>-[0-9-]{0,61}[A-Za-z][A-Za-z0-9-]{0,61})?  # rest of the label: 1-2-3-4-sta.isp
    (?P<domain>(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?){2,})  # two labels or more
    (?![A-Za-z0-9_-])
"""

#: Starts as the ``ipv4`` trigger does (``[0-9]`` after the third separator, not ``{1,3}``), so
#: that the prefilter finds both with the same stops; the rest turns plain addresses away. The
#: letter is looked for within one label (63 characters), not to the end of the line: a line of
#: ``1-1-1-...`` would otherwise be scanned to its end from each of its numbers.
_TRIGGER = (
    r"[.-][0-9]{1,3}[.-][0-9]{1,3}[.-][0-9][0-9]{0,2}(?:[.-][0-9]{1,3})?[.-][A-Za-z0-9-]{0,62}"
    r"[A-Za-z]"
)

#: Addresses of the operator's own networks and special ranges: names holding them stay.
_INTERNAL = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip

#: Labels that make a dotted name a package or a file, not a host (compared in lower case).
_NOT_HOST_LABELS = frozenset(
    {
        "final", "release", "ga", "snapshot", "sp", "dev", "rc", "alpha", "beta", "post", "pre",
        "nightly", "jar", "war", "ear", "zip", "tar", "gz",
        "tgz", "bz2", "xz", "whl", "rpm", "deb", "apk", "exe", "dll", "so", "dylib", "msi",
        "dmg", "pkg", "bin", "img", "iso", "el6", "el7", "el8", "el9", "amzn1", "amzn2",
        "amzn2023", "x86_64", "aarch64", "noarch", "i386", "i686", "arm64", "amd64", "src",
        "log", "txt", "json", "yaml", "yml", "xml", "conf", "cfg", "ini", "bak", "tmp", "lock",
        "pid", "sock", "crt", "pem", "key", "csr", "py", "js", "class", "md", "html", "csv",
    }
)  # fmt: skip

#: Words that, right before the name, make the numbers a version (``version 1.2.3.4.foo.bar``).
_VERSION_BEFORE = re.compile(r"(?i)(?:\bv|version|release|build|firmware|rev)[\s:=\"'-]*$")


#: A number as the label piece right before the address: the numbers go on to the left.
_NUMBER_BEFORE = re.compile(r"(?:^|[^0-9A-Za-z])[0-9]+[.-]?$|[.-][0-9]+-?$")


def _octets(value: str) -> list[int] | None:
    parts = re.split(r"[.-]", value)
    if len(parts) != 4 or any(len(part) > 3 for part in parts):
        return None
    octets = [int(part) for part in parts]
    return octets if all(octet <= 255 for octet in octets) else None


def _embedded_ip_ok(match: re.Match[str]) -> bool:
    octets = _octets(match.group("ip"))
    if octets is None:
        return False
    address = ipaddress.IPv4Address(".".join(map(str, octets)))
    if any(address in network for network in _INTERNAL):
        return False
    labels = {label.lower() for label in match.group("domain").split(".") if label}
    if match.group("tail"):
        labels.add(match.group("tail").lstrip("-").lower())
    if labels & _NOT_HOST_LABELS or not any(
        any(char.isalpha() for char in label) for label in labels
    ):
        return False
    start = match.start()
    before = match.string[max(0, start - 24) : start]
    # ``a-1-2-3-4-5.example.com``: five numbers in a row are no address.
    return _VERSION_BEFORE.search(before) is None and _NUMBER_BEFORE.search(before) is None


def ip_key(value: str) -> str:
    """``059.45.101.203`` and ``59-45-101-203``: the address ``59.45.101.203`` (as ``ipv4``)."""
    octets = _octets(value)
    return value if octets is None else ".".join(map(str, octets))


def hostname_rules() -> list[Rule]:
    """The rule for addresses embedded in host names (kind ``IP``, shared with ``ipv4``)."""
    return [
        Rule(
            name="ip_in_hostname",
            kind="IP",
            pattern=_PATTERN,
            group="ip",
            validator=_embedded_ip_ok,
            description=(
                "Public IPv4 addresses inside host names (reverse DNS of a client: "
                "5.36.59.76.dsl.example.net, c-73-15-22-101.hsd1.example.net), dotted or "
                "dashed; the same placeholder as the address elsewhere. Private and reserved "
                "ones (ip-10-0-1-23.ec2.internal) and package versions stay."
            ),
            # Three or four numbers, then a label with a letter: the lines with a plain
            # address ("from 10.0.5.5 port 22") are turned away here, in one regex match.
            trigger=_TRIGGER,
            reach=3,
            reach_chars="0123456789",
            priority=PII_PRIORITY,
            normalize=ip_key,
            example="sshd[2411]: auth failure; rhost=5.36.59.76.dynamic-dsl-ip.example.net",
        ),
    ]
