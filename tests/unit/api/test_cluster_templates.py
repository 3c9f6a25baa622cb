from tests.unit.api import base


class TestCreate(base.ResourceTestCase):

    def test_created_with_magnums_defaults_and_links(self):
        resp = self.call('/v1/clustertemplates', 'POST', {
            'name': 't1', 'coe': 'kubernetes', 'image_id': 'busybox',
            'labels': {'a': 'b'}, 'keypair_id': None})

        self.assertEqual(201, resp.status_int)
        body = resp.json
        self.assertEqual(
            ('t1', 'kubernetes', 'busybox', {'a': 'b'}, False, False, 'vm',
             True, None, 'p1', 'u-p1'),
            (body['name'], body['coe'], body['image_id'], body['labels'],
             body['public'], body['tls_disabled'], body['server_type'],
             body['floating_ip_enabled'], body['keypair_id'],
             body['project_id'], body['user_id']))
        self.assertEqual('http://localhost/v1/clustertemplates/%s'
                         % body['uuid'], resp.location)
        self.assertEqual(
            [{'href': 'http://localhost/v1/clustertemplates/%s'
              % body['uuid'], 'rel': 'self'},
             {'href': 'http://localhost/clustertemplates/%s' % body['uuid'],
              'rel': 'bookmark'}], body['links'])
        self.assertEqual(body, self.call(
            '/v1/clustertemplates/%s' % body['uuid']).json)

    def test_strings_for_integers_and_booleans_as_magnum_ui_sends(self):
        resp = self.call('/v1/clustertemplates', 'POST', {
            'coe': 'kubernetes', 'image_id': 'busybox',
            'docker_volume_size': '5',
            'tls_disabled': 'True', 'public': 'False'})

        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual((5, True, False),
                         (resp.json['docker_volume_size'],
                          resp.json['tls_disabled'], resp.json['public']))

    def test_unnamed_template_gets_a_name(self):
        resp = self.call('/v1/clustertemplates', 'POST',
                         {'coe': 'kubernetes', 'image_id': 'busybox'})
        self.assertTrue(resp.json['name'].startswith('template-'))

    def test_bad_input_names_the_field(self):
        for body, detail in [
                ({'coe': 'kubernetes', 'image_id': 'busybox', 'flavour': 'x'},
                 'Unknown attribute(s): flavour.'),
                ({'coe': 'kubernetes'}, 'Mandatory field missing: image_id.'),
                ({'coe': 'kubernetes', 'image_id': 'busybox',
                  'docker_volume_size': 'big'},
                 'Invalid input for field/attribute docker_volume_size. '
                 "Value: \"big\". 'big' is not of type 'integer'."),
                ({'coe': 'nomad', 'image_id': 'busybox'},
                 'Invalid input for field/attribute coe. Value: "nomad". '
                 "'nomad' is not one of ['kubernetes', 'swarm', "
                 "'swarm-mode']."),
        ]:
            self.assertError(400, detail, self.call(
                '/v1/clustertemplates', 'POST', body))

    def test_magnumclient_shows_the_title_so_it_names_the_field(self):
        resp = self.call('/v1/clustertemplates', 'POST', {
            'coe': 'kubernetes', 'image_id': 'busybox', 'apiserver_port': 80})

        [error] = resp.json['errors']
        self.assertEqual(
            'Invalid input for field/attribute apiserver_port',
            error['title'])

    def test_malformed_json(self):
        resp = self.call('/v1/clustertemplates', 'POST',
                         headers={'Content-Type': 'application/json'})
        self.assertError(400, 'Malformed JSON in request body.', resp)

    def test_only_admins_publish(self):
        resp = self.call('/v1/clustertemplates', 'POST',
                         {'coe': 'kubernetes', 'image_id': 'busybox',
                          'public': True}, roles=base.MEMBER)
        self.assertError(403, 'Not authorized to set public or hidden flag '
                              'for cluster template.', resp)
        self.create_template(name='pub', public=True)

    def test_readers_cannot_create(self):
        resp = self.call('/v1/clustertemplates', 'POST',
                         {'coe': 'kubernetes', 'image_id': 'busybox'},
                         roles=base.READER)
        self.assertError(403, "Policy doesn't allow clustertemplate:create "
                              "to be performed.", resp)


class TestListAndShow(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.own = self.create_template(name='own', roles=base.MEMBER)
        self.other = self.create_template(name='other', project_id='p2',
                                          roles=base.MEMBER)
        self.public = self.create_template(name='public', project_id='p2',
                                           public=True)
        self.hidden = self.create_template(name='hidden', project_id='p1',
                                           hidden=True)

    def _names(self, resp, key='clustertemplates'):
        self.assertEqual(200, resp.status_int, resp.body)
        return [t['name'] for t in resp.json[key]]

    def test_project_sees_its_own_and_public_ones_not_hidden(self):
        for path in ('/v1/clustertemplates', '/v1/clustertemplates/detail'):
            self.assertEqual(['own', 'public'], self._names(
                self.call(path, roles=base.MEMBER)))

    def test_admin_sees_all(self):
        self.assertEqual(['own', 'other', 'public', 'hidden'],
                         self._names(self.call('/v1/clustertemplates')))

    def test_another_projects_template_is_not_found(self):
        resp = self.call('/v1/clustertemplates/other', roles=base.MEMBER)
        self.assertError(404, 'ClusterTemplate other could not be found.',
                         resp)
        self.assertEqual(200, self.call('/v1/clustertemplates/public',
                                        roles=base.READER).status_int)

    def test_pages_with_next_link(self):
        resp = self.call('/v1/clustertemplates?limit=2&sort_key=name')

        self.assertEqual(['hidden', 'other'], self._names(resp))
        self.assertEqual(
            'http://localhost/v1/clustertemplates?sort_key=name&sort_dir=asc'
            '&limit=2&marker=%s' % self.other['uuid'], resp.json['next'])
        following = self.call(resp.json['next'][len('http://localhost'):])
        self.assertEqual(['own', 'public'], self._names(following))
        # A full page has a next link, as in Magnum, even if it was the
        # last.
        last = self.call(following.json['next'][len('http://localhost'):])
        self.assertEqual([], self._names(last))
        self.assertNotIn('next', last.json)

    def test_links_keep_the_path_the_api_is_served_under(self):
        # DevStack's /container-infra (SCRIPT_NAME): every link of a list,
        # its items' and its next page's, leads back under it.
        base_url = 'http://203.0.113.5/container-infra'
        resp = self.call('/v1/clustertemplates?limit=2&sort_key=name',
                         base_url=base_url)

        self.assertEqual(
            [[{'href': '%s/v1/clustertemplates/%s' % (base_url, uuid),
               'rel': 'self'},
              {'href': '%s/clustertemplates/%s' % (base_url, uuid),
               'rel': 'bookmark'}]
             for uuid in (self.hidden['uuid'], self.other['uuid'])],
            [item['links'] for item in resp.json['clustertemplates']])
        self.assertTrue(resp.json['next'].startswith(
            base_url + '/v1/clustertemplates?'), resp.json['next'])
        created = self.call('/v1/clustertemplates', 'POST', {
            'coe': 'kubernetes', 'image_id': 'busybox'}, base_url=base_url)
        self.assertEqual('%s/v1/clustertemplates/%s' % (
            base_url, created.json['uuid']), created.location)

    def test_limit_is_capped_by_max_limit(self):
        self.conf_fixture.config(group='api', max_limit=3)
        resp = self.call('/v1/clustertemplates?limit=100')
        self.assertEqual(3, len(resp.json['clustertemplates']))
        self.assertIn('limit=3', resp.json['next'])

    def test_filter_by_name(self):
        self.assertEqual(['public'], self._names(
            self.call('/v1/clustertemplates?name=public')))

    def test_bad_paging(self):
        self.assertError(400, 'Limit must be positive',
                         self.call('/v1/clustertemplates?limit=0'))
        self.assertError(
            400, 'The sort_key value "nope" is an invalid field for '
                 'sorting.',
            self.call('/v1/clustertemplates?sort_key=nope'))


class TestUpdate(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.template = self.create_template(labels={'a': 'b'})

    def _patch(self, operations, roles=base.ADMIN, project_id='p1'):
        return self.call('/v1/clustertemplates/t1', 'PATCH', operations,
                         roles=roles, project_id=project_id)

    def test_replace_add_remove_as_magnumclient_sends_them(self):
        resp = self._patch([
            # magnumclient sends labels as str() of a dict, and values
            # as strings unless they parse as JSON.
            {'op': 'replace', 'path': '/labels', 'value': "{'k': 'v'}"},
            {'op': 'replace', 'path': '/tls_disabled', 'value': 'True'},
            {'op': 'add', 'path': '/keypair_id', 'value': 'default'},
            {'op': 'remove', 'path': '/flavor_id'},
            {'op': 'replace', 'path': '/docker_volume_size', 'value': 5},
        ])

        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual(({'k': 'v'}, True, 'default', None, 5),
                         tuple(resp.json[k] for k in (
                             'labels', 'tls_disabled', 'keypair_id',
                             'flavor_id', 'docker_volume_size')))
        self.assertEqual(resp.json, self.call('/v1/clustertemplates/t1').json)

    def test_single_labels_added_and_removed(self):
        resp = self._patch([
            {'op': 'add', 'path': '/labels/k', 'value': 'v'},
            {'op': 'remove', 'path': '/labels/a'},
        ])

        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual({'k': 'v'}, resp.json['labels'])
        self.assertError(
            400, "Couldn't apply patch. Reason: can't remove a non-existent "
                 "object 'nope'",
            self._patch([{'op': 'remove', 'path': '/labels/nope'}]))
        self.assertError(
            400, "'/project_id' is an internal attribute and can not be "
                 "updated",
            self._patch([{'op': 'add', 'path': '/project_id/x',
                          'value': 1}]))

    def test_result_is_validated(self):
        self.assertError(
            400, 'Invalid input for field/attribute docker_volume_size. '
                 'Value: 0. 0 is less than the minimum of 1.',
            self._patch([{'op': 'replace', 'path': '/docker_volume_size',
                          'value': 0}]))
        self.assertError(400, 'Mandatory field missing: image_id.',
                         self._patch([{'op': 'remove',
                                       'path': '/image_id'}]))
        self.assertError(
            400, "'/uuid' is an internal attribute and can not be updated",
            self._patch([{'op': 'replace', 'path': '/uuid', 'value': 'x'}]))
        self.assertError(
            400, "The attribute /labels has existed, please use 'replace' "
                 "operation instead.",
            self._patch([{'op': 'add', 'path': '/labels', 'value': {}}]))

    def test_members_may_not_publish(self):
        self.assertError(
            403, 'Not authorized to set public or hidden flag for cluster '
                 'template.',
            self._patch([{'op': 'replace', 'path': '/public',
                          'value': True}], roles=base.MEMBER))

    def test_public_template_is_read_only_to_other_projects(self):
        self._patch([{'op': 'replace', 'path': '/public', 'value': True}])

        self.assertError(
            403, "Policy doesn't allow clustertemplate:update to be "
                 "performed.",
            self._patch([{'op': 'replace', 'path': '/name', 'value': 'x'}],
                        roles=base.MEMBER, project_id='p2'))


class TestDelete(base.ResourceTestCase):

    def test_delete(self):
        self.create_template()

        self.assertEqual(204, self.call('/v1/clustertemplates/t1',
                                        'DELETE').status_int)
        self.assertEqual(404, self.call('/v1/clustertemplates/t1')
                         .status_int)

    def test_refused_while_clusters_use_it(self):
        template = self.create_template()
        self.create_cluster()

        self.assertError(400, 'ClusterTemplate %s is referenced by one or '
                              'multiple clusters.' % template['uuid'],
                         self.call('/v1/clustertemplates/t1', 'DELETE'))

    def test_another_projects_template_is_not_found(self):
        self.create_template()
        self.assertEqual(404, self.call('/v1/clustertemplates/t1', 'DELETE',
                                        roles=base.MEMBER,
                                        project_id='p2').status_int)


class TestBaymodels(base.ResourceTestCase):

    def test_baymodels_are_the_same_rows(self):
        template = self.create_template()

        resp = self.call('/v1/baymodels', version='1.1')

        [baymodel] = resp.json['baymodels']
        self.assertEqual((template['uuid'], 't1'),
                         (baymodel['uuid'], baymodel['name']))
        self.assertNotIn('hidden', baymodel)
        self.assertEqual('http://localhost/v1/baymodels/%s'
                         % template['uuid'], baymodel['links'][0]['href'])
