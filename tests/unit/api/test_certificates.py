"""/v1/certificates: show a cluster's CA, sign a CSR, rotate the CA."""

import oslo_messaging as messaging

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.common import x509
from magnumlite.db import api as db_api
from tests.unit.api import base
from tests.unit import test_x509


class CertificatesTestCase(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.create_template(coe='swarm-mode', public=True)
        self.uuid = self.create_cluster()
        self.ca = x509.generate_ca('c1')
        self.context = context.get_admin_context()
        db_api.certificates_create(self.context, self.uuid, {
            'ca_cert': self.ca.cert, 'ca_key': x509.encrypt_key(self.ca.key),
            'client_cert': 'c', 'client_key': 'k'})
        db_api.cluster_update(self.context, self.uuid,
                              {'status': 'CREATE_COMPLETE'})


class TestShow(CertificatesTestCase):

    def test_shows_the_ca_and_no_key(self):
        resp = self.call('/v1/certificates/c1', roles='reader')
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(self.ca.cert, resp.json['pem'])
        self.assertEqual(self.uuid, resp.json['cluster_uuid'])
        self.assertNotIn(b'PRIVATE', resp.body)
        self.assertIn('/v1/certificates/%s' % self.uuid,
                      resp.json['links'][0]['href'])

    def test_other_projects_do_not_see_it(self):
        self.assertEqual(404, self.call('/v1/certificates/c1', roles='member',
                                        project_id='p2').status_int)
        self.assertEqual(403, self.call('/v1/certificates/c1',
                                        roles='nobody').status_int)

    def test_other_ca_types_are_refused(self):
        self.assertError(400, 'ca_cert_type etcd is not supported: a '
                              'magnumlite cluster has one CA.',
                         self.call('/v1/certificates/c1?ca_cert_type=etcd'))

    def test_a_cluster_without_a_coe_api_has_no_ca(self):
        self.create_template(name='plain', coe='kubernetes')
        self.create_cluster(name='c2', cluster_template_id='plain')
        self.assertError(400, 'Showing the CA certificate of a cluster '
                              'without a TLS COE API is not supported.',
                         self.call('/v1/certificates/c2'))


class TestSign(CertificatesTestCase):

    def setUp(self):
        super().setUp()
        self.csr = test_x509.csr()
        self.conductor.sign_certificate.return_value = 'SIGNED'

    def _sign(self, **body):
        body = dict({'cluster_uuid': self.uuid, 'csr': self.csr}, **body)
        return self.call('/v1/certificates', 'POST', body, roles='member')

    def test_signs_through_the_conductor(self):
        resp = self._sign()
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual('SIGNED', resp.json['pem'])
        self.assertEqual(self.uuid, resp.json['cluster_uuid'])
        [(ctx, uuid, csr), _] = self.conductor.sign_certificate.call_args
        self.assertEqual((self.uuid, self.csr), (uuid, csr))

    def test_bad_requests_never_reach_the_conductor(self):
        self.assertError(400, 'Received invalid csr.', self._sign(csr='x'))
        self.assertError(400, 'Cluster nope could not be found.',
                         self._sign(cluster_uuid='nope'))
        resp = self._sign(csr='x' * (x509.MAX_CSR_LENGTH + 1))
        self.assertEqual(400, resp.status_int)
        resp = self.call('/v1/certificates', 'POST',
                         {'cluster_uuid': self.uuid, 'csr': self.csr},
                         roles='reader')
        self.assertEqual(403, resp.status_int)
        self.conductor.sign_certificate.assert_not_called()

    def test_conductor_errors_keep_their_status(self):
        for error, status in (
                (exception.CertificatesUnavailable(reason='no keys'), 503),
                (messaging.MessagingTimeout(), 503),
                (exception.InvalidCsr(), 400)):
            self.conductor.sign_certificate.side_effect = error
            self.assertEqual(status, self._sign().status_int)


class TestRotate(CertificatesTestCase):

    def test_rotation_is_an_update_in_progress(self):
        resp = self.call('/v1/certificates/c1', 'PATCH', roles='member')
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'uuid': self.uuid}, resp.json)
        self.assertEqual('UPDATE_IN_PROGRESS',
                         db_api.cluster_get(self.context, self.uuid).status)
        [(ctx, uuid), _] = self.conductor.rotate_ca.call_args
        self.assertEqual(self.uuid, uuid)

    def test_only_from_1_5_and_at_rest(self):
        self.assertEqual(406, self.call('/v1/certificates/c1', 'PATCH',
                                        version='1.4').status_int)
        db_api.cluster_update(self.context, self.uuid,
                              {'status': 'CREATE_FAILED'})
        self.assertEqual(409, self.call('/v1/certificates/c1',
                                        'PATCH').status_int)
        self.assertEqual(403, self.call('/v1/certificates/c1', 'PATCH',
                                        roles='reader').status_int)
        self.conductor.rotate_ca.assert_not_called()


class TestSwarmNeedsTLS(base.ResourceTestCase):

    def test_swarm_templates_cannot_disable_tls(self):
        for coe in ('swarm-mode', 'swarm'):
            resp = self.call('/v1/clustertemplates', 'POST', {
                'name': 't-' + coe, 'coe': coe, 'image_id': 'busybox',
                'tls_disabled': True})
            self.assertError(
                400, 'A %s cluster template cannot disable TLS: its Docker '
                     'API on every node is reached over TLS only.' % coe,
                resp)
        self.create_template(name='t', coe='swarm-mode')
        resp = self.call('/v1/clustertemplates/t', 'PATCH', [
            {'op': 'replace', 'path': '/tls_disabled', 'value': True}])
        self.assertEqual(400, resp.status_int)
