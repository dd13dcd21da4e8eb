drop table todos;
