#!/bin/bash
# DevStack plugin for magnumlite. The configuration itself lives in
# devstack/lib/magnumlite, shared with the all-in-one (tools/allinone).

# shellcheck source=lib/magnumlite
source "$MAGNUMLITE_DIR/devstack/lib/magnumlite"

# DevStack's shell runs as $STACK_USER (sudo for root's part) and
# predates its docker group.
MAGNUMLITE_SUDO=sudo
MAGNUMLITE_DOCKER="sudo docker"

function magnumlite_set_devstack_variables {
    MAGNUMLITE_TRANSPORT_URL=$(get_transport_url)
    MAGNUMLITE_DB_URL=$(database_connection_url magnumlite)
    MAGNUMLITE_AUTH_URL=$KEYSTONE_SERVICE_URI
    MAGNUMLITE_SERVICE_PASSWORD=$SERVICE_PASSWORD
    MAGNUMLITE_SERVICE_PROJECT=$SERVICE_PROJECT_NAME
    MAGNUMLITE_REGION=$REGION_NAME
    MAGNUMLITE_HOST=$(hostname)
    MAGNUMLITE_PYTHON=$PYTHON
}

function install_magnumlite {
    setup_develop "$MAGNUMLITE_DIR"
    # The API runs in DevStack's uWSGI behind Apache; python-magnumclient
    # for `openstack coe`.
    install_apache_uwsgi
    pip_install_gr python-magnumclient
    install_package docker-registry
    magnumlite_stop_packaged_registry
    if is_service_enabled n-cpu && [ -n "$MAGNUMLITE_NOVA_DRIVER" ]; then
        # The engine the driver runs servers in (and Heat's Docker
        # resources use), Debian's, on its default socket; busybox-static
        # for the test image (magnumlite_build_test_image).
        install_package docker.io busybox-static
        if [[ "$MAGNUMLITE_NESTED_ENGINES" == True ]]; then
            # tools/build-node-image: the swarm node image, from Debian's
            # packages
            install_package mmdebstrap
        fi
        sudo systemctl enable --now docker
        # nova-compute (and heat-engine) run as $STACK_USER: the docker
        # group opens the engine's socket. Added now, before any service
        # starts: systemd gives a unit's User= its groups when it starts.
        add_user_to_group "$STACK_USER" docker
    fi
}

function configure_magnumlite {
    magnumlite_set_devstack_variables
    # /etc is root's; DevStack's services' configuration is $STACK_USER's.
    sudo install -d -o "$STACK_USER" "$MAGNUMLITE_CONF_DIR"
    magnumlite_configure
    # DevStack's convention for an API: uWSGI on a socket, Apache passing
    # it $MAGNUMLITE_SERVICE_URI (http, or https with tls-proxy, on the
    # port every API shares); the API reads the path from SCRIPT_NAME.
    write_uwsgi_config "$MAGNUMLITE_UWSGI_CONF" magnumlite.api.wsgi:application \
        /container-infra "" magnumlite-api
    iniset "$MAGNUMLITE_UWSGI_CONF" uwsgi env "OS_MAGNUMLITE_CONFIG_DIR=$MAGNUMLITE_CONF_DIR"
    iniset "$MAGNUMLITE_UWSGI_CONF" uwsgi threads 4
    # Apache says which scheme the client used (X-Forwarded-Proto).
    iniset "$MAGNUMLITE_CONF_DIR/magnumlite.conf" oslo_middleware enable_proxy_headers_parsing True
    recreate_database magnumlite
    magnumlite_db_sync
    if is_service_enabled h-eng; then
        magnumlite_configure_heat_plugin "$HEAT_CONF"
    fi
    # The conductor hears about bays' servers from Nova's versioned
    # notifications (DevStack's Nova sends unversioned ones by default).
    if [[ "$(iniget $NOVA_CONF notifications notification_format)" == unversioned ]]; then
        iniset $NOVA_CONF notifications notification_format both
    fi
    # (set in either section: DEFAULT is its deprecated home, where
    # DevStack puts it for ceilometer)
    if [[ -z "$(iniget $NOVA_CONF DEFAULT notify_on_state_change)" && \
          -z "$(iniget $NOVA_CONF notifications notify_on_state_change)" ]]; then
        iniset $NOVA_CONF notifications notify_on_state_change vm_state
    fi
    # The registry bays' nodes pull from, on DevStack's own side of public
    # (PUBLIC_NETWORK_GATEWAY on its bridge), and on loopback for pushes.
    # It starts empty: `docker push 127.0.0.1:$MAGNUMLITE_REGISTRY_PORT/...`.
    magnumlite_registry_config "$MAGNUMLITE_CONF_DIR/registry.yml" 127.0.0.1 \
        "$MAGNUMLITE_STATE_DIR/registry" false
    # registry-public.yml: in start_magnumlite, once public's subnet exists.
    if is_service_enabled n-cpu && [ -n "$MAGNUMLITE_NOVA_DRIVER" ]; then
        configure_magnumlite_nova_compute
    fi
}

# configure_magnumlite_nova_compute: nova-compute runs magnumlite's Docker
# driver. Written to $NOVA_CONF, not $NOVA_CPU_CONF: start_nova_compute
# (after the post-config phase) makes nova-cpu.conf afresh as a copy of
# nova.conf, and nova-compute reads that file alone. The other Nova
# services ignore these options.
function configure_magnumlite_nova_compute {
    magnumlite_install_nova_hook
    iniset "$NOVA_CONF" DEFAULT compute_driver "$MAGNUMLITE_NOVA_VIRT_NAME.$MAGNUMLITE_NOVA_DRIVER"
    iniset "$NOVA_CONF" docker allow_nested_engines "$MAGNUMLITE_NESTED_ENGINES"
    magnumlite_configure_docker_compute "$NOVA_CONF"
    # A server whose port never goes ACTIVE fails its boot, like libvirt;
    # Nova's default wait, as tools/allinone-neutron (OVN can be slow to
    # report ports up under load).
    iniset "$NOVA_CONF" DEFAULT vif_plugging_is_fatal true
    iniset "$NOVA_CONF" DEFAULT vif_plugging_timeout 300
    # Servers that ask for no zone (and bays without an availability_zone
    # label) go to the Docker driver's zone (magnumlite_add_to_zone).
    iniset "$NOVA_CONF" DEFAULT default_schedule_zone "$MAGNUMLITE_ZONE"
    # The driver's netlink work and os-vif's OVS plugging run in privsep
    # daemons, started with sudo privsep-helper ($STACK_USER's sudo) and
    # nova-compute's own configuration (DevStack's nova-compute reads
    # $NOVA_CPU_CONF alone).
    local helper section
    helper="sudo $NOVA_BIN_DIR/privsep-helper --config-file $NOVA_CPU_CONF"
    for section in nova_driver_privileged vif_plug_ovs_privileged privsep; do
        iniset "$NOVA_CONF" "$section" helper_command "$helper"
    done
}

# magnumlite_ovn_datapath: DevStack gives OVS_DATAPATH_TYPE to the bridges
# it makes (br-ex) but not to br-int, which ovn-controller makes, as
# "system". Without the kernel's openvswitch module (OVS_DATAPATH_TYPE=netdev)
# ovs-vswitchd cannot open that, and the driver's veths on br-int would
# switch nothing. ovn-controller takes the type from this key, for a
# br-int it made already too. (OVN starts after the post-config phase.)
function magnumlite_ovn_datapath {
    if is_service_enabled ovn-controller && [ "${OVS_DATAPATH_TYPE:-system}" != system ]; then
        sudo ovs-vsctl set open_vswitch . \
            "external-ids:ovn-bridge-datapath-type=$OVS_DATAPATH_TYPE"
    fi
}

# magnumlite_add_to_zone: the Docker driver's host into availability zone
# $MAGNUMLITE_ZONE (Nova's zones are aggregates' metadata). Run once
# nova-compute has registered its service.
function magnumlite_add_to_zone {
    local host=${MAGNUMLITE_COMPUTE_HOST:-$(hostname)} i
    for i in $(seq 1 60); do
        openstack compute service list --service nova-compute --host "$host" -f value -c State \
            | grep -qx up && break
        sleep 2
    done
    openstack aggregate show "$MAGNUMLITE_ZONE" >/dev/null 2>&1 \
        || openstack aggregate create --zone "$MAGNUMLITE_ZONE" "$MAGNUMLITE_ZONE" >/dev/null
    openstack aggregate show "$MAGNUMLITE_ZONE" -f value -c hosts | grep -q "'$host'" \
        || openstack aggregate add host "$MAGNUMLITE_ZONE" "$host" >/dev/null
}

# magnumlite_create_accounts: the service user, the container-infra service
# and its endpoints, with DevStack's own functions (not
# magnumlite_register_keystone: that feeds `openstack` commands on stdin,
# and the CLI's interactive mode fails with the cmd2 of these
# upper-constraints: "'Statement' object has no attribute 'pipe_to'").
function magnumlite_create_accounts {
    local url="$MAGNUMLITE_SERVICE_URI/v1"
    create_service_user "$MAGNUMLITE_SERVICE_USER" admin
    get_or_create_service magnumlite container-infra "Container Infrastructure Management"
    get_or_create_endpoint container-infra "$REGION_NAME" "$url" "$url" "$url"
    magnumlite_check_keystone
}

# magnumlite_public_address: this host's address on network public, where
# servers reach the registry. By the extra phase DevStack has put it on
# public's bridge: PUBLIC_NETWORK_GATEWAY, or (this DevStack leaves that
# empty) the public subnet's gateway. Empty, the registry would listen on
# every address and collide with the loopback one.
function magnumlite_public_address {
    local address=${PUBLIC_NETWORK_GATEWAY:-}
    if [ -z "$address" ] && is_service_enabled q-svc neutron-api; then
        address=$(openstack subnet show "$PUBLIC_SUBNET_NAME" -f value -c gateway_ip)
    fi
    echo "$address"
}

# magnumlite_swarm_up: what swarm bays need: busybox in the registry
# (the nodes' mirror), the node image, its flavor, the template.
function magnumlite_swarm_up {
    magnumlite_push_registry_image
    magnumlite_upload_swarm_node_image "$MAGNUMLITE_STATE_DIR"
    magnumlite_create_swarm_flavor
    magnumlite_create_swarm_template "$PUBLIC_NETWORK_NAME" "$(magnumlite_public_address)"
}

function start_magnumlite {
    # (run_process gives uwsgi DevStack's venv)
    run_process magnumlite-api "$(which uwsgi) --procname-prefix magnumlite --ini $MAGNUMLITE_UWSGI_CONF"
    run_process magnumlite-cond "$(get_python_exec_prefix)/magnumlite-conductor \
        --config-file $MAGNUMLITE_CONF_DIR/magnumlite.conf"
    local public_address
    public_address=$(magnumlite_public_address)
    if [ -z "$public_address" ]; then
        die $LINENO "no address on network public for magnumlite-registry-public"
    fi
    magnumlite_registry_config "$MAGNUMLITE_CONF_DIR/registry-public.yml" \
        "$public_address" "$MAGNUMLITE_STATE_DIR/registry" true
    run_process magnumlite-registry "$(which docker-registry) serve $MAGNUMLITE_CONF_DIR/registry.yml"
    run_process magnumlite-registry-public "$(which docker-registry) serve $MAGNUMLITE_CONF_DIR/registry-public.yml"
    if ! wait_for_service $SERVICE_TIMEOUT "$MAGNUMLITE_SERVICE_URI/"; then
        die $LINENO "magnumlite-api did not start"
    fi
}

function stop_magnumlite {
    stop_process magnumlite-api
    stop_process magnumlite-cond
    stop_process magnumlite-registry
    stop_process magnumlite-registry-public
}

function cleanup_magnumlite {
    if [ -n "$MAGNUMLITE_NOVA_DRIVER" ]; then
        # The servers' and Heat's containers (clean.sh drops the databases
        # that knew them, as cleanup_nova destroys libvirt's domains).
        if command -v docker >/dev/null; then
            magnumlite_remove_containers
        fi
        if command -v magnumlite-nova-virt-shim >/dev/null; then
            magnumlite-nova-virt-shim uninstall --name "$MAGNUMLITE_NOVA_VIRT_NAME" || true
        fi
        # clean.sh may have removed the venv (and the command) already;
        # Nova is installed from $NOVA_DIR (editable), where the shim is.
        local shim=$NOVA_DIR/nova/virt/$MAGNUMLITE_NOVA_VIRT_NAME.py
        if [ -f "$shim" ] && grep -q nova_driver "$shim"; then
            rm -f "$shim"
        fi
    fi
    remove_uwsgi_config "$MAGNUMLITE_UWSGI_CONF" magnumlite-api
    sudo rm -rf "$MAGNUMLITE_STATE_DIR" "$MAGNUMLITE_CONF_DIR"
}

if is_service_enabled magnumlite-api magnumlite-cond; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing magnumlite"
        install_magnumlite
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring magnumlite"
        configure_magnumlite
        magnumlite_create_accounts
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Starting magnumlite"
        start_magnumlite
        if is_service_enabled n-cpu && [ -n "$MAGNUMLITE_NOVA_DRIVER" ]; then
            magnumlite_ovn_datapath
            magnumlite_add_to_zone
            if is_service_enabled g-api; then
                magnumlite_build_test_image
                magnumlite_upload_test_image "$MAGNUMLITE_STATE_DIR/test-image.tar"
                if [[ "$MAGNUMLITE_NESTED_ENGINES" == True ]] \
                        && is_service_enabled magnumlite-registry magnumlite-registry-public; then
                    magnumlite_swarm_up
                fi
            fi
        fi
    fi
    if [[ "$1" == "unstack" ]]; then
        stop_magnumlite
    fi
    if [[ "$1" == "clean" ]]; then
        cleanup_magnumlite
    fi
fi
