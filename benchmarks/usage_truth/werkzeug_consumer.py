# ruff: noqa
"""A consumer of werkzeug, written for the usage benchmark (2.0.3 -> 2.1.0)."""
import werkzeug
from werkzeug.wrappers import Request, Response
from werkzeug.wrappers import BaseRequest, BaseResponse
from werkzeug.datastructures import MultiDict, Headers
from werkzeug.exceptions import NotFound, HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.test import Client, EnvironBuilder
from werkzeug.security import generate_password_hash, check_password_hash
from werkzeug.security import safe_str_cmp
from werkzeug.utils import secure_filename, cached_property


@Request.application
def app(request):
    return Response(f'hello {request.args.get("name", "x")}', status=200)


class Greeter(Response):
    default_mimetype = 'text/plain'


client = Client(app, Response)
reply = client.get('/?name=ann')
print(reply.status_code, reply.get_data(as_text=True))
environ, tupled = client.get('/', as_tuple=True)
builder = EnvironBuilder(path='/x', method='POST', data={'a': '1'})
req = Request(builder.get_environ())
print(req.method, req.form['a'], req.path)
old_req = BaseRequest(builder.get_environ())
old_resp = BaseResponse('x')
md = MultiDict([('a', '1'), ('a', '2')])
print(md.getlist('a'), md.to_dict(flat=False))
hdrs = Headers([('X-A', '1')])
hdrs.add('X-B', '2')
print(hdrs.get('X-A'), hdrs.to_wsgi_list())
urls = Map([Rule('/user/<int:uid>', endpoint='user')]).bind('example.org')
print(urls.match('/user/3'))
hashed = generate_password_hash('pw', method='pbkdf2:sha256', salt_length=8)
print(check_password_hash(hashed, 'pw'), safe_str_cmp('a', 'a'))
print(secure_filename('../etc/passwd'), werkzeug.__version__)
print(Greeter('hi').mimetype, NotFound().code)
print(werkzeug.urls.url_quote('a b'), werkzeug.http.parse_options_header('text/html; q=1'))
print(werkzeug.utils.escape('<a>'))
print(werkzeug.http.dump_cookie('k', 'v', max_age=10))


def handler(request: Request):
    return request.get_json(silent=True, cache=False)


print(handler(Request(EnvironBuilder(json={'a': 1}).get_environ())))
try:
    raise NotFound(description='gone')
except HTTPException as err:
    print(err.get_response().status)
