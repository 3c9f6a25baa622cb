"""/v1/credentials (1.12) and the Magnum APIs magnumlite answers 400."""

import oslo_messaging as messaging

from tests.unit.api import base


class TestCredentialRotate(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.create_template()
        self.uuid = self.create_cluster()
        self.conductor.credential_rotate.return_value = None

    def test_rotates_through_the_conductor(self):
        resp = self.call('/v1/credentials/c1', 'PATCH', roles=base.MEMBER)
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'uuid': self.uuid}, resp.json)
        [(ctx, uuid), _] = self.conductor.credential_rotate.call_args
        self.assertEqual((self.uuid, 'p1'), (uuid, ctx.project_id))

    def test_only_from_1_12(self):
        resp = self.call('/v1/credentials/c1', 'PATCH', version='1.11')
        self.assertEqual(406, resp.status_int)
        self.conductor.credential_rotate.assert_not_called()

    def test_conductor_failure_is_a_400_with_the_reason(self):
        self.conductor.credential_rotate.return_value = 'keystone said no'
        self.assertError(
            400, 'Could not rotate the credential of cluster %s: keystone '
                 'said no' % self.uuid,
            self.call('/v1/credentials/c1', 'PATCH'))

    def test_no_conductor_able_to_is_503(self):
        for error, reason in (
                (messaging.MessagingTimeout(), 'none answered in time'),
                (messaging.RemoteError('UnsupportedVersion'),
                 'the conductor that took the request predates it')):
            self.conductor.credential_rotate.side_effect = error
            self.assertError(
                503, 'No conductor could rotate the credential: ' + reason,
                self.call('/v1/credentials/c1', 'PATCH'))

    def test_readers_and_other_projects(self):
        self.assertEqual(403, self.call('/v1/credentials/c1', 'PATCH',
                                        roles=base.READER).status_int)
        self.assertEqual(404, self.call('/v1/credentials/c1', 'PATCH',
                                        roles=base.MEMBER,
                                        project_id='p2').status_int)
        # Not even an admin of another project, who holds no role in the
        # cluster's project to make a trust with (as in Magnum).
        self.assertEqual(404, self.call('/v1/credentials/%s' % self.uuid,
                                        'PATCH', project_id='p2').status_int)
        self.conductor.credential_rotate.assert_not_called()


class TestNotSupported(base.ResourceTestCase):

    def test_magnum_apis_not_offered_are_400_not_supported(self):
        for method, path, detail in (
                ('POST', '/v1/clusters/c1/nodegroups',
                 'Creating, updating or deleting nodegroups is not '
                 'supported.'),
                ('DELETE', '/v1/clusters/c1/nodegroups/default-worker',
                 'Creating, updating or deleting nodegroups is not '
                 'supported.'),
                ('POST', '/v1/clusters/c1/actions/upgrade',
                 'Cluster upgrade is not supported.')):
            body = {} if method in ('POST', 'PATCH') else None
            resp = self.call(path, method, body=body)
            self.assertError(400, detail, resp)
            self.assertEqual('application/json', resp.content_type)

    def test_microversion_checked_first_as_in_magnum(self):
        self.assertEqual(406, self.call('/v1/clusters/c1/nodegroups', 'POST',
                                        {}, version='1.8').status_int)
