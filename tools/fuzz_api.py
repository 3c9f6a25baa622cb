#!/usr/bin/env python3
"""Fuzz magnumlite's API from its OpenAPI document: no input may get a 5xx.

    source .allinone/openrc
    .allinone/venv/bin/python tools/fuzz_api.py [--examples 25] [--seed 0]

Reads GET /v1/openapi.yaml, then for every operation in it sends
--examples requests schemathesis (property-based, on hypothesis) derives
from the document: valid ones and ones that break its schemas (wrong
types, out-of-range numbers, missing fields, unknown attributes, odd
strings in paths and queries). Each carries the token of the OS_*
environment and asks for the newest microversion. It prints how many
requests got each status class, then every 5xx (and every request that
got no answer), and exits 1 if there was one. The last line is

    fuzzed N requests: M answered 5xx, K got no answer

Random references name nothing in the cloud, so nothing is created; what
a request does create anyway (2xx to a POST) is deleted at the end.
"""

import argparse
import collections
import sys
from urllib import parse

import hypothesis
import hypothesis.errors
import requests
import schemathesis
import yaml

from benchlib import connect

VERSION = {'OpenStack-API-Version': 'container-infra latest'}


def load(endpoint, token):
    resp = requests.get(endpoint + '/openapi.yaml', timeout=30,
                        headers={'X-Auth-Token': token})
    resp.raise_for_status()
    return schemathesis.openapi.from_dict(yaml.safe_load(resp.text))


class Fuzz:
    """What was sent and what came back, over every operation."""

    def __init__(self, base_url, token):
        self.base_url = base_url
        self.headers = dict(VERSION, **{'X-Auth-Token': token})
        self.http = requests.Session()
        self.statuses = collections.Counter()
        self.server_errors = []
        self.no_answer = []
        self.created = []

    def send(self, case):
        described = '%s %s %s' % (case.method.upper(), case.formatted_path,
                                  _short(case.query or case.body))
        try:
            resp = case.call(base_url=self.base_url, session=self.http,
                             headers=self.headers, timeout=60)
        except requests.RequestException as exc:
            self.no_answer.append('%s: %s' % (described, exc))
            return
        self.statuses['%dxx' % (resp.status_code // 100)] += 1
        if resp.status_code >= 500:
            self.server_errors.append('%s -> %d %s' % (
                described, resp.status_code, resp.text[:300]))
        elif case.method.upper() == 'POST' and resp.status_code < 300:
            body = _json(resp)
            uuid = body.get('uuid') if isinstance(body, dict) else None
            if uuid:
                # /v1/<collection>: what to delete at the end
                self.created.append('%s/%s' % (case.path.split('/')[2],
                                               uuid))

    def operation(self, operation, examples, seed):
        for mode in (schemathesis.GenerationMode.POSITIVE,
                     schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @hypothesis.seed(seed)
            @hypothesis.settings(
                max_examples=examples, deadline=None, database=None,
                phases=[hypothesis.Phase.generate],
                suppress_health_check=list(hypothesis.HealthCheck))
            @hypothesis.given(strategy)
            def run(case):
                self.send(case)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:
                pass  # no request of that mode: nothing in it to break

    def clean_up(self):
        for path in self.created:
            self.http.delete('%s/v1/%s' % (self.base_url, path),
                             headers=self.headers, timeout=60)


def _json(resp):
    try:
        return resp.json()
    except ValueError:
        return None


def _short(value, limit=120):
    text = '' if value is None else repr(value)
    return text if len(text) <= limit else text[:limit] + '...'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--examples', type=int, default=25,
                        help='requests per operation and mode (valid, '
                             'invalid)')
    parser.add_argument('--seed', type=int, default=0,
                        help='hypothesis seed, for a run that can be '
                             'repeated')
    args = parser.parse_args()

    conn = connect()
    token = conn.session.get_token()
    endpoint = conn.session.get_endpoint(service_type='container-infra',
                                         interface='public').rstrip('/')
    base_url = endpoint[:-len(parse.urlparse(endpoint).path)]
    schema = load(endpoint, token)
    fuzz = Fuzz(base_url, token)
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        fuzz.operation(operation, args.examples, args.seed)
    fuzz.clean_up()

    sent = sum(fuzz.statuses.values()) + len(fuzz.no_answer)
    print('%d operations of %s' % (len(operations), endpoint))
    for status, count in sorted(fuzz.statuses.items()):
        print('  %s: %d' % (status, count))
    for line in fuzz.server_errors + fuzz.no_answer:
        print('  ' + line)
    print('fuzzed %d requests: %d answered 5xx, %d got no answer'
          % (sent, len(fuzz.server_errors), len(fuzz.no_answer)))
    return 1 if fuzz.server_errors or fuzz.no_answer else 0


if __name__ == '__main__':
    sys.exit(main())
