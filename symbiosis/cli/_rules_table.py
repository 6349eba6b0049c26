"""The rows of ``symbiosis api rules`` for the rules symbiosis
ships, by entry point name: (entry point, kind, severity,
description).

Generated from ``pyproject.toml`` and the rule classes; do not
edit. Regenerate with ``python -m tests.test_rules_table --update``.
"""

from __future__ import annotations

__all__ = ['RULES']

RULES: dict[str, tuple[str, str, str, str]] = {
    'abstract_method_added': (
        'symbiosis.api._rules.classes:AbstractMethodAdded',
        'abstract-method-added',
        'major',
        'a class gained an abstract method',
    ),
    'async_changed': (
        'symbiosis.api._rules.functions:AsyncChanged',
        'async-changed',
        'major',
        'a function switched between sync and async',
    ),
    'attribute_removed': (
        'symbiosis.api._rules.classes:AttributeRemoved',
        'attribute-removed',
        'major',
        'a class attribute was removed',
    ),
    'class_base_added': (
        'symbiosis.api._rules.classes:ClassBaseAdded',
        'class-base-added',
        'minor',
        'a class gained a base class',
    ),
    'class_base_removed': (
        'symbiosis.api._rules.classes:ClassBaseRemoved',
        'class-base-removed',
        'major',
        'a class lost a base class',
    ),
    'constant_value_changed': (
        'symbiosis.api._rules.attributes:ConstantValueChanged',
        'constant-value-changed',
        'minor',
        "a constant's literal value changed",
    ),
    'deprecated_added': (
        'symbiosis.api._rules.deprecations:DeprecatedAdded',
        'deprecated-added',
        'minor',
        'an object was newly deprecated',
    ),
    'entry_point_added': (
        'symbiosis.api._rules.metadata:EntryPointAdded',
        'entry-point-added',
        'minor',
        'an entry point was added',
    ),
    'entry_point_changed': (
        'symbiosis.api._rules.metadata:EntryPointChanged',
        'entry-point-changed',
        'patch',
        'an entry point points at a different object',
    ),
    'entry_point_removed': (
        'symbiosis.api._rules.metadata:EntryPointRemoved',
        'entry-point-removed',
        'major',
        'an entry point was removed',
    ),
    'enum_member_added': (
        'symbiosis.api._rules.enums:EnumMemberAdded',
        'enum-member-added',
        'minor',
        'an enum member was added',
    ),
    'enum_member_removed': (
        'symbiosis.api._rules.enums:EnumMemberRemoved',
        'enum-member-removed',
        'major',
        'an enum member was removed',
    ),
    'enum_member_value_changed': (
        'symbiosis.api._rules.enums:EnumMemberValueChanged',
        'enum-member-value-changed',
        'major',
        "an enum member's value changed",
    ),
    'extra_added': (
        'symbiosis.api._rules.metadata:ExtraAdded',
        'extra-added',
        'minor',
        'an extra was added',
    ),
    'extra_removed': (
        'symbiosis.api._rules.metadata:ExtraRemoved',
        'extra-removed',
        'major',
        'an extra was removed',
    ),
    'final_added': (
        'symbiosis.api._rules.classes:FinalAdded',
        'final-added',
        'minor',
        'a class, method or attribute became final',
    ),
    'incomplete_snapshot': (
        'symbiosis.api._rules.modules:IncompleteSnapshot',
        'incomplete-snapshot',
        'none',
        'a side could not be read fully; some names are unknown',
    ),
    'kind_changed': (
        'symbiosis.api._rules.names:KindChanged',
        'kind-changed',
        'major',
        'a name now refers to a different kind of object',
    ),
    'method_kind_changed': (
        'symbiosis.api._rules.classes:MethodKindChanged',
        'method-kind-changed',
        'major',
        'a method changed between static/class/instance/property',
    ),
    'method_removed': (
        'symbiosis.api._rules.classes:MethodRemoved',
        'method-removed',
        'major',
        'a method was removed',
    ),
    'module_added': (
        'symbiosis.api._rules.modules:ModuleAdded',
        'module-added',
        'minor',
        'a public module was added',
    ),
    'module_removed': (
        'symbiosis.api._rules.modules:ModuleRemoved',
        'module-removed',
        'major',
        'a public module was removed',
    ),
    'name_added': (
        'symbiosis.api._rules.names:NameAdded',
        'name-added',
        'minor',
        'a public name was added',
    ),
    'name_moved': (
        'symbiosis.api._rules.moves:NameMoved',
        'name-moved',
        'major',
        'a name moved to another public path',
    ),
    'name_relocated': (
        'symbiosis.api._rules.moves:NameRelocated',
        'name-relocated',
        'patch',
        'a name moved but its old path still resolves',
    ),
    'name_removed': (
        'symbiosis.api._rules.names:NameRemoved',
        'name-removed',
        'major',
        'a public name was removed',
    ),
    'name_unexported': (
        'symbiosis.api._rules.moves:NameUnexported',
        'name-unexported',
        'minor',
        'a name is no longer exported but still resolves',
    ),
    'overload_added': (
        'symbiosis.api._rules.functions:OverloadAdded',
        'overload-added',
        'minor',
        'an @overload variant was added',
    ),
    'overload_removed': (
        'symbiosis.api._rules.functions:OverloadRemoved',
        'overload-removed',
        'major',
        'an @overload variant was removed',
    ),
    'parameter_added_optional': (
        'symbiosis.api._rules.parameters:ParameterAddedOptional',
        'parameter-added-optional',
        'minor',
        'an optional parameter was added',
    ),
    'parameter_added_required': (
        'symbiosis.api._rules.parameters:ParameterAddedRequired',
        'parameter-added-required',
        'major',
        'a required parameter was added',
    ),
    'parameter_default_added': (
        'symbiosis.api._rules.parameters:ParameterDefaultAdded',
        'parameter-default-added',
        'minor',
        'a parameter gained a default',
    ),
    'parameter_default_changed': (
        'symbiosis.api._rules.parameters:ParameterDefaultChanged',
        'parameter-default-changed',
        'minor',
        "a parameter's default value changed",
    ),
    'parameter_default_removed': (
        'symbiosis.api._rules.parameters:ParameterDefaultRemoved',
        'parameter-default-removed',
        'major',
        'a parameter lost its default',
    ),
    'parameter_kind_changed': (
        'symbiosis.api._rules.parameters:ParameterKindChanged',
        'parameter-kind-changed',
        'major',
        'a parameter changed kind (positional/keyword)',
    ),
    'parameter_removed': (
        'symbiosis.api._rules.parameters:ParameterRemoved',
        'parameter-removed',
        'major',
        'a parameter was removed',
    ),
    'parameter_renamed': (
        'symbiosis.api._rules.parameters:ParameterRenamed',
        'parameter-renamed',
        'major',
        'a parameter was renamed',
    ),
    'parameter_reordered': (
        'symbiosis.api._rules.parameters:ParameterReordered',
        'parameter-reordered',
        'major',
        'positional parameters were reordered',
    ),
    'property_removed': (
        'symbiosis.api._rules.classes:PropertyRemoved',
        'property-removed',
        'major',
        'a property was removed',
    ),
    'removed_after_deprecation': (
        'symbiosis.api._rules.deprecations:RemovedAfterDeprecation',
        'removed-after-deprecation',
        'major',
        'a deprecated object was removed',
    ),
    'removed_without_deprecation': (
        'symbiosis.api._rules.deprecations:RemovedWithoutDeprecation',
        'removed-without-deprecation',
        'major',
        'an object was removed without prior deprecation',
    ),
    'requires_python_narrowed': (
        'symbiosis.api._rules.metadata:RequiresPythonNarrowed',
        'requires-python-narrowed',
        'minor',
        'Requires-Python dropped supported Python versions',
    ),
    'requires_python_widened': (
        'symbiosis.api._rules.metadata:RequiresPythonWidened',
        'requires-python-widened',
        'minor',
        'Requires-Python accepts more Python versions',
    ),
    'return_annotation_changed': (
        'symbiosis.api._rules.functions:ReturnAnnotationChanged',
        'return-annotation-changed',
        'patch',
        'the return annotation changed',
    ),
    'var_keyword_removed': (
        'symbiosis.api._rules.parameters:VarKeywordRemoved',
        'var-keyword-removed',
        'major',
        '**kwargs was removed',
    ),
    'var_positional_removed': (
        'symbiosis.api._rules.parameters:VarPositionalRemoved',
        'var-positional-removed',
        'major',
        '*args was removed',
    ),
}
