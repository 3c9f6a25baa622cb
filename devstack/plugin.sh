#!/bin/bash
# DevStack plugin for magnumlite. The configuration itself lives in
# devstack/lib/magnumlite, shared with the all-in-one (tools/allinone).

# shellcheck source=lib/magnumlite
source "$MAGNUMLITE_DIR/devstack/lib/magnumlite"

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
    pip_install uwsgi
    install_package docker-registry
    magnumlite_stop_packaged_registry
}

function configure_magnumlite {
    magnumlite_set_devstack_variables
    magnumlite_configure
    if is_service_enabled tls-proxy; then
        iniset "$MAGNUMLITE_CONF_DIR/magnumlite.conf" oslo_middleware enable_proxy_headers_parsing True
    fi
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
    magnumlite_registry_config "$MAGNUMLITE_CONF_DIR/registry-public.yml" \
        "$PUBLIC_NETWORK_GATEWAY" "$MAGNUMLITE_STATE_DIR/registry" true
    if is_service_enabled n-cpu && [ -n "$MAGNUMLITE_NOVA_DRIVER" ]; then
        magnumlite_install_nova_hook
        iniset "$NOVA_CPU_CONF" DEFAULT compute_driver \
            "$MAGNUMLITE_NOVA_VIRT_NAME.$MAGNUMLITE_NOVA_DRIVER"
        iniset "$NOVA_CPU_CONF" docker allow_nested_engines "$MAGNUMLITE_NESTED_ENGINES"
        # nova-compute runs as $STACK_USER, in the docker group for the
        # engine's socket; the driver's netlink work runs in its privsep
        # daemon (nova_driver/privileged.py), started as Nova's are.
        add_user_to_group "$STACK_USER" docker
        iniset "$NOVA_CPU_CONF" nova_driver_privileged helper_command \
            "sudo $(which privsep-helper) --config-file $NOVA_CONF --config-file $NOVA_CPU_CONF"
    fi
}

function start_magnumlite {
    run_process magnumlite-api "$(which uwsgi) --http-socket $MAGNUMLITE_API_HOST:$MAGNUMLITE_API_PORT \
        --module magnumlite.api.wsgi:application --env OS_MAGNUMLITE_CONFIG_DIR=$MAGNUMLITE_CONF_DIR \
        --master --processes $API_WORKERS --threads 4 --enable-threads --die-on-term --lazy-apps"
    run_process magnumlite-cond "$(which magnumlite-conductor) --config-file $MAGNUMLITE_CONF_DIR/magnumlite.conf"
    # By the extra phase DevStack has put its address on public's bridge.
    run_process magnumlite-registry "$(which docker-registry) serve $MAGNUMLITE_CONF_DIR/registry.yml"
    run_process magnumlite-registry-public "$(which docker-registry) serve $MAGNUMLITE_CONF_DIR/registry-public.yml"
    if ! wait_for_service $SERVICE_TIMEOUT "http://$MAGNUMLITE_API_HOST:$MAGNUMLITE_API_PORT/"; then
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
        magnumlite-nova-virt-shim uninstall --name "$MAGNUMLITE_NOVA_VIRT_NAME" || true
    fi
    rm -rf "$MAGNUMLITE_STATE_DIR"
}

if is_service_enabled magnumlite-api magnumlite-cond; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing magnumlite"
        install_magnumlite
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring magnumlite"
        configure_magnumlite
        magnumlite_register_keystone
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Starting magnumlite"
        start_magnumlite
    fi
    if [[ "$1" == "unstack" ]]; then
        stop_magnumlite
    fi
    if [[ "$1" == "clean" ]]; then
        cleanup_magnumlite
    fi
fi
