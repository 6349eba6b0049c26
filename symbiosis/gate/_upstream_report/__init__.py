"""Bug reports for an upstream, made from a gate's JSON report offline.

One report per regression (:mod:`.build`): a title saying what broke and
since which release, the versions and platform, a reproducer cut from the
probe's own file (:mod:`.reproducer`), the failure trimmed to the
upstream's frames, the API diff's explanation and where to file it
(:mod:`.tracker`); everything quoted is redacted (:mod:`.redact`) and
rendered as Markdown or JSON (:mod:`.render`). Nothing is filed.
"""
