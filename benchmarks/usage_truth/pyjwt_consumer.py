# ruff: noqa
"""A consumer of PyJWT, written for the usage benchmark (1.7.1 -> 2.0.0)."""
import datetime

import jwt
from jwt import PyJWT, PyJWS, InvalidTokenError, ExpiredSignatureError
from jwt import ExpiredSignature
from jwt import InvalidAudience
from jwt.algorithms import HMACAlgorithm, get_default_algorithms
from jwt.exceptions import DecodeError, InvalidAudienceError
from jwt.compat import text_type

SECRET = 'secret'
payload = {'sub': '42', 'exp': datetime.datetime(2100, 1, 1)}
token = jwt.encode(payload, SECRET, algorithm='HS256')
text = token.decode('utf-8')
claims = jwt.decode(token, SECRET, algorithms=['HS256'])
print(claims['sub'])
unchecked = jwt.decode(token, verify=False)
print(jwt.get_unverified_header(token)['alg'])
codec = PyJWT(options={'verify_exp': True})
other = codec.encode({'a': 1}, SECRET, algorithm='HS512')
print(codec.decode(other, SECRET, algorithms=['HS512']))
jws = PyJWS()
signed = jws.encode(b'hello', SECRET, algorithm='HS256')
print(jws.decode(signed, SECRET, algorithms=['HS256']))
print(jws.get_unverified_header(signed))
alg = HMACAlgorithm(HMACAlgorithm.SHA256)
key = alg.prepare_key(SECRET)
print(alg.verify(b'msg', key, alg.sign(b'msg', key)))
print(sorted(get_default_algorithms()))
print(jwt.utils.base64url_encode(b'abc'))
try:
    jwt.decode('garbage', SECRET, algorithms=['HS256'])
except (DecodeError, InvalidTokenError) as err:
    print(type(err).__name__)
print(issubclass(ExpiredSignatureError, InvalidTokenError), InvalidAudienceError)
print(jwt.__version__, text_type)
print(jwt.PyJWT().decode(token, SECRET, algorithms=['HS256'], options={'verify_signature': True}))
