# ruff: noqa
"""A consumer of marshmallow, written for the usage benchmark (2.21.0 -> 3.0.0)."""
import datetime

import marshmallow
from marshmallow import Schema, fields, validate, ValidationError
from marshmallow import post_load, pre_dump, validates
from marshmallow.schema import UnmarshalResult
from marshmallow.schema import MarshalResult


class UserSchema(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1))
    email = fields.Email()
    age = fields.Integer(missing=18)
    joined = fields.DateTime(format='iso')
    tags = fields.List(fields.String())

    @validates('age')
    def check_age(self, value):
        if value < 0:
            raise ValidationError('negative')

    @post_load
    def make(self, data):
        return data


class StrictSchema(Schema):
    name = fields.Str()

    class Meta:
        strict = True


schema = UserSchema()
strict = UserSchema(strict=True)
result = schema.load({'name': 'ann', 'email': 'a@b.c'})
print(result.data, result.errors)
dumped = schema.dump({'name': 'bob', 'age': 3})
print(dumped.data)
print(schema.validate({'name': ''}))
many = UserSchema(many=True, only=('name',))
print(schema.dumps({'name': 'x'}))
err = ValidationError('bad', field_names=['name'])
print(err.messages, err.field_names)
nested = fields.Nested(UserSchema, many=True)
print(marshmallow.__version__, fields.Field().load_only)
print(validate.OneOf(['a', 'b']).choices)
when = fields.DateTime().deserialize('2020-01-01T00:00:00')
print(fields.Str(load_from='Name').load_from)
print(UserSchema().fields['name'].required)
print(marshmallow.utils.isoformat(datetime.datetime(2020, 1, 1)))
print(marshmallow.utils.get_value('a', {'a': 1}))
print(StrictSchema().load({'name': 'n'}).data)
